// The spend page. Every figure is fetched from the query API (/v1/...) and shown as the API wrote
// it (cost_usd strings are printed verbatim, never recomputed in floating point), so the page and a
// billing backend reading the JSON always agree. The admin token, when the API asks for one, comes
// from the form, from #token=… or ?token=… in the address, and is kept for this tab only.
"use strict";

const form = document.getElementById("range");
const state = { token: "", inflightTimer: null };

function dayString(date) {
  return date.toISOString().slice(0, 10);
}

function readAddress() {
  const query = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const today = new Date();
  const tomorrow = new Date(today.getTime() + 86400000);
  form.from.value = query.get("from") || dayString(today);
  form.to.value = query.get("to") || dayString(tomorrow);
  form.granularity.value = query.get("granularity") || "hour";
  form.key.value = query.get("key") || "";
  state.token = fragment.get("token") || query.get("token") || sessionStorage.getItem("streammeter.token") || "";
  form.token.value = state.token;
  if (fragment.get("token")) {
    sessionStorage.setItem("streammeter.token", state.token);
    history.replaceState(null, "", location.pathname + location.search); // keep it out of the history
  }
}

async function api(path) {
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body.error ? body.error.message : response.statusText;
    throw new Error(`${path.split("?")[0]}: ${response.status} ${message}`);
  }
  return body;
}

function showError(error) {
  const p = document.getElementById("error");
  p.hidden = !error;
  p.textContent = error ? String(error.message || error) : "";
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "–" : String(text);
  if (className) td.className = className;
  return td;
}

/** Axis labels in USD: six decimals for the small amounts of a test or a quiet key. */
function axisUsd(value) {
  return value === 0 ? "0" : value < 0.01 ? value.toFixed(6) : value.toFixed(2);
}

function range() {
  return {
    from: form.from.value,
    to: form.to.value,
    granularity: form.granularity.value,
  };
}

function rangeQuery(r) {
  return `from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`;
}

function bucketLabel(start, granularity) {
  return granularity === "hour" ? start.slice(11, 16) : start.slice(5, 10);
}

async function loadTop(r) {
  const top = await api(`/v1/spend/top?${rangeQuery(r)}&limit=10`);
  const body = document.querySelector("#top-keys tbody");
  body.replaceChildren();
  document.querySelector("#top-keys [data-range]").textContent = `${r.from} to ${r.to} (UTC)`;
  for (const k of top.keys) {
    const tr = document.createElement("tr");
    tr.dataset.key = k.key_id;
    const keyCell = document.createElement("td");
    const link = document.createElement("a");
    link.textContent = k.key_id;
    link.addEventListener("click", () => selectKey(k.key_id));
    keyCell.append(link);
    tr.append(keyCell, cell(k.spend.requests, "requests"), cell(k.spend.prompt_tokens, "prompt"),
      cell(k.spend.completion_tokens, "completion"), cell(k.spend.streams_missing_usage, "missing"),
      cell(k.spend.cost_usd, "cost"));
    body.append(tr);
  }
  if (!top.keys.length) {
    const tr = document.createElement("tr");
    tr.append(cell("no spend in this range", "text"));
    body.append(tr);
  }
  return top.keys.map(k => k.key_id);
}

async function loadKeysChart(r, keys) {
  const shown = keys.slice(0, 5);
  const reports = await Promise.all(shown.map(key =>
    api(`/v1/spend?key_id=${encodeURIComponent(key)}&${rangeQuery(r)}&granularity=${r.granularity}`)));
  const buckets = new Map();
  reports.forEach((report, i) => {
    for (const b of report.buckets) {
      const entry = buckets.get(b.start) || { label: bucketLabel(b.start, r.granularity), values: {} };
      entry.values[shown[i]] = b.total.cost_micros / 1e6;
      buckets.set(b.start, entry);
    }
  });
  const ordered = [...buckets.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(e => e[1]);
  SvgChart.stackedBars(document.querySelector("#spend-keys .chart"), ordered, shown, axisUsd);
}

async function loadModels(r, key) {
  document.querySelectorAll("[data-key-label]").forEach(e => { e.textContent = key ? `of ${key}` : ""; });
  const body = document.querySelector("#spend-models tbody");
  body.replaceChildren();
  if (!key) {
    SvgChart.stackedBars(document.querySelector("#spend-models .chart"), [], [], String);
    return;
  }
  const report = await api(`/v1/spend?key_id=${encodeURIComponent(key)}&${rangeQuery(r)}&granularity=${r.granularity}`);
  const models = report.models.map(m => m.model);
  const buckets = report.buckets.map(b => {
    const values = {};
    b.models.forEach(m => { values[m.model] = m.spend.cost_micros / 1e6; });
    return { label: bucketLabel(b.start, r.granularity), values };
  });
  SvgChart.stackedBars(document.querySelector("#spend-models .chart"), buckets, models, axisUsd);
  for (const m of report.models) {
    const tr = document.createElement("tr");
    tr.dataset.model = m.model;
    tr.append(cell(m.model, "text"), cell(m.spend.requests, "requests"), cell(m.spend.prompt_tokens, "prompt"),
      cell(m.spend.completion_tokens, "completion"), cell(m.spend.cost_usd, "cost"));
    body.append(tr);
  }
}

async function loadLineItems(key) {
  const body = document.querySelector("#line-items tbody");
  body.replaceChildren();
  if (!key) return;
  const list = await api(`/v1/keys/${encodeURIComponent(key)}/line-items?limit=50`);
  for (const item of list.line_items) {
    const tr = document.createElement("tr");
    tr.dataset.stream = item.stream_id;
    tr.append(cell(item.ended_at.replace("T", " ").slice(0, 19), "text"), cell(item.stream_id, "text stream"),
      cell(item.model, "text"), cell(item.outcome, "text outcome"), cell(item.usage_source, "text source"),
      cell(item.prompt_tokens ?? (item.estimated_prompt_tokens ? `~${item.estimated_prompt_tokens}` : null), "prompt"),
      cell(item.completion_tokens ?? (item.estimated_completion_tokens ? `~${item.estimated_completion_tokens}` : null), "completion"),
      cell(item.cost_usd, "cost"),
      cell(item.missing_usage_reason, item.missing_usage ? "text reason bad" : "text reason"));
    tr.title = `GET /v1/line-items/${item.stream_id}`;
    body.append(tr);
  }
}

async function loadRate() {
  const rate = await api("/v1/missing-usage/rate");
  const latest = new Map();
  for (const w of rate.windows) { // newest window first: keep the current one per model and upstream
    const id = `${w.model} @ ${w.upstream}`;
    if (!latest.has(id)) latest.set(id, w);
  }
  const rows = [...latest.entries()].map(([label, w]) => ({
    label, value: w.share_permille / 10, bad: w.alerting,
    note: `(${w.missing}/${w.streams})`,
  }));
  document.querySelector("#missing-rate [data-threshold]").textContent =
    `current window; alerts above ${rate.threshold_permille / 10}% with at least ${rate.min_streams} streams`;
  SvgChart.thresholdBars(document.querySelector("#missing-rate .chart"), rows,
    rate.threshold_permille / 10, 100, v => `${v.toFixed(1)}%`);
  document.getElementById("missing-rate").dataset.windows = String(rate.windows.length);
}

async function loadInFlight() {
  const live = await api("/v1/in-flight");
  document.querySelector('[data-figure="inflight-streams"]').textContent = live.streams;
  document.querySelector('[data-figure="inflight-cost"]').textContent = live.cost_usd;
  const body = document.querySelector("#inflight tbody");
  body.replaceChildren();
  for (const k of live.keys) {
    const tr = document.createElement("tr");
    tr.dataset.key = k.key_id;
    tr.append(cell(k.key_id, "text"), cell(k.streams, "streams"), cell(k.prompt_tokens, "prompt"),
      cell(k.completion_tokens, "completion"), cell(k.cost_usd, "cost"));
    body.append(tr);
  }
}

function selectKey(key) {
  form.key.value = key;
  document.querySelectorAll("#top-keys tr").forEach(tr => tr.classList.toggle("selected", tr.dataset.key === key));
  const r = range();
  Promise.all([loadModels(r, key), loadLineItems(key)]).catch(showError);
}

async function loadAll() {
  document.body.dataset.state = "loading";
  showError(null);
  const r = range();
  try {
    const keys = await loadTop(r);
    const key = form.key.value || keys[0] || "";
    document.querySelectorAll("#top-keys tr").forEach(tr => tr.classList.toggle("selected", tr.dataset.key === key));
    await Promise.all([loadKeysChart(r, keys), loadModels(r, key), loadLineItems(key), loadRate(), loadInFlight()]);
    document.body.dataset.state = "ready";
    document.body.dataset.key = key;
  } catch (e) {
    document.body.dataset.state = "failed";
    showError(e);
  }
}

form.addEventListener("submit", event => {
  event.preventDefault();
  state.token = form.token.value;
  if (state.token) sessionStorage.setItem("streammeter.token", state.token);
  const query = new URLSearchParams({ from: form.from.value, to: form.to.value, granularity: form.granularity.value });
  if (form.key.value) query.set("key", form.key.value);
  history.replaceState(null, "", "?" + query);
  loadAll();
});

readAddress();
loadAll();
state.inflightTimer = setInterval(() => loadInFlight().catch(showError), 2000);
