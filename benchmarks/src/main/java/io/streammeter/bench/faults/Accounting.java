package io.streammeter.bench.faults;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.UsageSource;
import io.streammeter.bench.faults.FaultLoad.Sent;
import io.streammeter.relay.auth.KeyIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what metering billed with what the simulator sent, for one scenario. The rules are those
 * of docs/reliability.md ("How lost and double-counted are computed"):
 *
 * <ul>
 *   <li>E(r), the usage a request must be billed: the last usage object the simulator wrote for it
 *       (its ledger entry); none when it wrote none.
 *   <li>lost: a request the relay gave a stream id for with no line item; or one billed, unflagged,
 *       to another key than its own; or one whose E(r) is not in its line item (unless its relay
 *       was stopped or killed and the line item is flagged: orphaned or missing usage); or an
 *       ORPHANED line item where no relay was stopped or killed (its end was lost).
 *   <li>double-counted: a line item billing more tokens than E(r) (or tokens where the ledger has
 *       none), plus every key whose hourly spend exceeds the sum of its line items.
 * </ul>
 */
final class Accounting {
    /** One ledger entry, as {@code GET /_sim/ledger} gives it. */
    record Ledger(
            String tag,
            String bearer,
            boolean usageSent,
            String outcome,
            long prompt,
            long completion,
            long cached) {
        boolean billable() {
            return usageSent;
        }
    }

    /** Token totals: reported prompt, completion and cached-prompt tokens. */
    record Tokens(long prompt, long completion, long cached) {
        static final Tokens ZERO = new Tokens(0, 0, 0);

        Tokens plus(Tokens o) {
            return new Tokens(prompt + o.prompt, completion + o.completion, cached + o.cached);
        }

        boolean exceeds(Tokens o) {
            return prompt > o.prompt || completion > o.completion || cached > o.cached;
        }

        boolean below(Tokens o) {
            return prompt < o.prompt || completion < o.completion || cached < o.cached;
        }

        @Override
        public String toString() {
            return prompt + "/" + completion + "/" + cached;
        }
    }

    /** The verdict of one scenario: one row of the table, and the evidence for it. */
    record Row(
            String scenario,
            int requests,
            int withStreamId,
            int lineItems,
            boolean spendEqual,
            int lost,
            int doubleCounted,
            int orphans,
            int alertsExpected,
            int alertsGot,
            String proof,
            List<String> findings) {}

    static Map<String, Ledger> ledger(String json) {
        Map<String, Ledger> byTag = new HashMap<>();
        JsonArray entries = new JsonObject(json).getJsonArray("entries");
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            if (e.getString("tag") == null) {
                continue;
            }
            byTag.put(
                    e.getString("tag"),
                    new Ledger(
                            e.getString("tag"),
                            e.getString("bearer"),
                            e.getBoolean("usage_sent"),
                            e.getString("outcome"),
                            e.getLong("prompt_tokens", 0L),
                            e.getLong("completion_tokens", 0L),
                            e.getLong("cached_tokens", 0L)));
        }
        return byTag;
    }

    static Tokens tokens(StreamSummary item) {
        if (item.getUsageSource() != UsageSource.REPORTED || item.getUsage() == null) {
            return Tokens.ZERO;
        }
        var u = item.getUsage();
        return new Tokens(u.getPromptTokens(), u.getCompletionTokens(), u.getCachedPromptTokens());
    }

    static Tokens tokens(Ledger entry) {
        return entry == null || !entry.billable()
                ? Tokens.ZERO
                : new Tokens(entry.prompt(), entry.completion(), entry.cached());
    }

    static boolean flagged(StreamSummary item) {
        return item.getOutcome() == Outcome.ORPHANED || item.getMissingUsage();
    }

    static Row compare(
            String scenario,
            boolean relayFault,
            String proof,
            List<Sent> sent,
            Map<String, Ledger> ledger,
            Map<String, StreamSummary> items,
            Map<String, SpendAggregate> spend,
            Set<String> alerts) {
        List<String> findings = new ArrayList<>();
        Map<String, String> keyIds = new HashMap<>();
        for (Sent r : sent) {
            keyIds.computeIfAbsent(r.key(), k -> KeyIds.derive(Stack.PEPPER, k));
        }
        Set<String> scenarioKeyIds = new HashSet<>(keyIds.values());
        Map<String, Tokens> expectedPerKey = new TreeMap<>();
        Set<String> streamIds = new HashSet<>();
        int withStreamId = 0;
        int lost = 0;
        int doubled = 0;
        int alertsExpected = 0;
        int alertsGot = 0;
        for (Sent r : sent) {
            if (r.streamId() == null) {
                continue;
            }
            withStreamId++;
            streamIds.add(r.streamId());
            String keyId = keyIds.get(r.key());
            Ledger entry = ledger.get(r.tag());
            Tokens expected = tokens(entry);
            expectedPerKey.merge(keyId, expected, Tokens::plus);
            boolean alertExpected = entry == null || !entry.billable();
            if (alertExpected) {
                alertsExpected++;
            }
            if (alerts.contains(r.streamId())) {
                alertsGot++;
            }
            if (alertExpected != alerts.contains(r.streamId())) {
                findings.add(
                        "alert: "
                                + r.tag()
                                + " ("
                                + r.kind()
                                + ", client "
                                + r.clientEnd()
                                + ", ledger "
                                + (entry == null
                                        ? "none"
                                        : entry.outcome()
                                                + (entry.usageSent()
                                                        ? " with usage"
                                                        : " without usage"))
                                + "): missing-usage alert "
                                + (alertExpected ? "expected, none" : "not expected, got one"));
            }
            StreamSummary item = items.get(r.streamId());
            String what = r.tag() + " (" + r.kind() + ", stream " + r.streamId() + ")";
            if (item == null) {
                lost++;
                findings.add("lost: " + what + ": no line item");
                continue;
            }
            Tokens billed = tokens(item);
            boolean flagged = flagged(item);
            if (!keyId.equals(item.getKeyId()) && !(flagged && alerts.contains(r.streamId()))) {
                lost++;
                findings.add(
                        "lost: " + what + ": billed to key " + item.getKeyId() + ", not flagged");
            } else if (billed.below(expected) && !(relayFault && flagged)) {
                lost++;
                findings.add(
                        "lost: "
                                + what
                                + ": billed "
                                + billed
                                + " of "
                                + expected
                                + " sent ("
                                + item.getOutcome()
                                + ", "
                                + item.getMissingUsageReason()
                                + ")");
            } else if (item.getOutcome() == Outcome.ORPHANED && !relayFault) {
                lost++;
                findings.add("lost: " + what + ": ORPHANED, its end never arrived");
            }
            if (billed.exceeds(expected)) {
                doubled++;
                findings.add("double: " + what + ": billed " + billed + ", sent " + expected);
            }
        }
        int lineItems = 0;
        int orphans = 0;
        Map<String, Tokens> itemsPerKey = new TreeMap<>();
        for (StreamSummary item : items.values()) {
            boolean ours =
                    streamIds.contains(item.getStreamId())
                            || (item.getKeyId() != null
                                    && scenarioKeyIds.contains(item.getKeyId()));
            if (!ours) {
                continue;
            }
            lineItems++;
            if (item.getOutcome() == Outcome.ORPHANED) {
                orphans++;
            }
            if (item.getKeyId() != null) {
                itemsPerKey.merge(item.getKeyId(), tokens(item), Tokens::plus);
            }
        }
        Map<String, Tokens> spendPerKey = new TreeMap<>();
        for (SpendAggregate a : spend.values()) {
            if (scenarioKeyIds.contains(a.getKeyId())) {
                spendPerKey.merge(
                        a.getKeyId(),
                        new Tokens(
                                a.getPromptTokens(),
                                a.getCompletionTokens(),
                                a.getCachedPromptTokens()),
                        Tokens::plus);
            }
        }
        boolean spendEqual = true;
        for (String keyId : scenarioKeyIds) {
            Tokens inSpend = spendPerKey.getOrDefault(keyId, Tokens.ZERO);
            Tokens inLedger = expectedPerKey.getOrDefault(keyId, Tokens.ZERO);
            Tokens inItems = itemsPerKey.getOrDefault(keyId, Tokens.ZERO);
            if (!inSpend.equals(inLedger)) {
                spendEqual = false;
                findings.add(
                        "spend: key "
                                + keyId
                                + ": hourly spend "
                                + inSpend
                                + ", ledger "
                                + inLedger
                                + " (prompt/completion/cached)");
            }
            if (inSpend.exceeds(inItems)) {
                doubled++;
                findings.add(
                        "double: key "
                                + keyId
                                + ": hourly spend "
                                + inSpend
                                + " exceeds its line items "
                                + inItems);
            }
        }
        return new Row(
                scenario,
                sent.size(),
                withStreamId,
                lineItems,
                spendEqual,
                lost,
                doubled,
                orphans,
                alertsExpected,
                alertsGot,
                proof,
                findings);
    }

    /** Whether every request with a stream id has a line item. */
    static boolean settled(List<Sent> sent, Map<String, StreamSummary> items) {
        return sent.stream()
                .filter(r -> r.streamId() != null)
                .allMatch(r -> items.containsKey(r.streamId()));
    }
}
