// Two small SVG charts, hand-written so the page needs nothing downloaded: stacked bars over time
// and horizontal bars against a threshold. Values are drawn as given; labels come from the caller.
"use strict";
const SvgChart = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const COLORS = ["#2456c9", "#e07b00", "#1f9d55", "#b3261e", "#7b3fc4", "#0f8b8d", "#c2185b", "#6b7385"];

  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function legend(container, series) {
    const div = document.createElement("div");
    div.className = "legend";
    series.forEach((name, i) => {
      const span = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = COLORS[i % COLORS.length];
      span.append(swatch, name);
      div.append(span);
    });
    container.append(div);
  }

  function empty(container, text) {
    container.replaceChildren();
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = text;
    container.append(p);
  }

  /** buckets: [{label, values: {series: number}}], oldest first. */
  function stackedBars(container, buckets, series, format) {
    if (!buckets.length) return empty(container, "no spend in this range");
    container.replaceChildren();
    const width = 640, height = 220, left = 70, bottom = 40, top = 10;
    const totals = buckets.map(b => series.reduce((s, name) => s + (b.values[name] || 0), 0));
    const max = Math.max(...totals, 1e-9);
    const plotW = width - left - 10, plotH = height - top - bottom;
    const barW = Math.max(2, plotW / buckets.length - 2);
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img" });
    for (let i = 0; i <= 4; i++) {
      const y = top + plotH - (plotH * i) / 4;
      svg.append(el("line", { x1: left, x2: width - 10, y1: y, y2: y, stroke: "#eef0f4" }));
      svg.append(el("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, format((max * i) / 4)));
    }
    const every = Math.ceil(buckets.length / 8);
    buckets.forEach((b, i) => {
      const x = left + i * (plotW / buckets.length) + 1;
      let y = top + plotH;
      series.forEach((name, s) => {
        const v = b.values[name] || 0;
        if (v <= 0) return;
        const h = (plotH * v) / max;
        y -= h;
        const rect = el("rect", { x, y, width: barW, height: h, fill: COLORS[s % COLORS.length] });
        rect.append(el("title", {}, `${b.label} ${name}: ${format(v)}`));
        svg.append(rect);
      });
      if (i % every === 0) {
        svg.append(el("text", { x: x + barW / 2, y: height - bottom + 14, "text-anchor": "middle" }, b.label));
      }
    });
    container.append(svg);
    legend(container, series);
  }

  /** rows: [{label, value, note, bad}], threshold drawn as a dashed line; values 0..max. */
  function thresholdBars(container, rows, threshold, max, format) {
    if (!rows.length) return empty(container, "no streams in the current rate windows");
    container.replaceChildren();
    const rowH = 24, left = 220, width = 640, top = 18;
    const height = top + rows.length * rowH + 10;
    const plotW = width - left - 60;
    const scale = v => left + (plotW * Math.min(v, max)) / max;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img" });
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      svg.append(el("text", { x: left - 6, y: y + 15, "text-anchor": "end" }, r.label));
      svg.append(el("rect", { x: left, y: y + 4, width: Math.max(1, scale(r.value) - left), height: rowH - 8,
        fill: r.bad ? "#b3261e" : "#2456c9" }));
      svg.append(el("text", { x: scale(r.value) + 4, y: y + 15 }, `${format(r.value)} ${r.note || ""}`));
    });
    const tx = scale(threshold);
    svg.append(el("line", { x1: tx, x2: tx, y1: 8, y2: height - 4, stroke: "#b3261e", "stroke-dasharray": "4 3" }));
    svg.append(el("text", { x: tx, y: 10, "text-anchor": "middle", fill: "#b3261e" }, `threshold ${format(threshold)}`));
    container.append(svg);
  }

  return { stackedBars, thresholdBars };
})();
