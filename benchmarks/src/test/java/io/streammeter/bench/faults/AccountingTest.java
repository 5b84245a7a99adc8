package io.streammeter.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.Usage;
import io.streammeter.avro.UsageSource;
import io.streammeter.bench.faults.Accounting.Ledger;
import io.streammeter.bench.faults.Accounting.Row;
import io.streammeter.bench.faults.FaultLoad.Sent;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.schemas.AvroSerde;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The suite's verdicts: each way of losing or double-counting is caught, and nothing else is. */
class AccountingTest {
    private static final String KEY = "sk-fault-t-0";
    private static final String KEY_ID = KeyIds.derive(Stack.PEPPER, KEY);

    static {
        // The serdes trust the generated Avro package; the builders below need that trust too.
        AvroSerde.of(StreamSummary.class);
    }

    private final Map<String, Ledger> ledger = new HashMap<>();
    private final Map<String, StreamSummary> items = new HashMap<>();
    private final Map<String, SpendAggregate> spend = new HashMap<>();

    @Test
    void shouldPassWhenEveryStreamIsBilledAsSentAndSpendAddsUp() {
        billed("t-0", "s0", KEY_ID, 10, 20, Outcome.COMPLETED);
        spend(10, 20);

        Row row = compare(false, sent("t-0", "s0"));

        assertEquals(0, row.lost(), row.findings().toString());
        assertEquals(0, row.doubleCounted(), row.findings().toString());
        assertTrue(row.spendEqual());
    }

    @Test
    void shouldCountAStreamWithoutLineItemAsLost() {
        ledger.put("t-0", new Ledger("t-0", KEY, true, "COMPLETED", 10, 20, 0));

        Row row = compare(false, sent("t-0", "s0"));

        assertEquals(1, row.lost());
        assertFalse(row.spendEqual());
    }

    @Test
    void shouldCountTokensBilledToTheAnonymousKeyAsLost() {
        billed("t-0", "s0", null, 10, 20, Outcome.COMPLETED);

        assertEquals(1, compare(false, sent("t-0", "s0")).lost());
    }

    @Test
    void shouldCountAnOrphanAsLostUnlessTheRelayWasStoppedOrKilled() {
        ledger.put("t-0", new Ledger("t-0", KEY, true, "COMPLETED", 10, 20, 0));
        items.put("s0", item("s0", KEY_ID, null, Outcome.ORPHANED, true));

        assertEquals(1, compare(false, sent("t-0", "s0")).lost());
        Row relayKilled = compare(true, sent("t-0", "s0"));
        assertEquals(0, relayKilled.lost());
        assertEquals(1, relayKilled.orphans());
    }

    @Test
    void shouldCountUsageAboveWhatWasSentAndSpendAboveTheLineItemsAsDoubleCounted() {
        billed("t-0", "s0", KEY_ID, 10, 20, Outcome.COMPLETED);
        spend(20, 40); // the stream aggregated twice

        Row row = compare(false, sent("t-0", "s0"));

        assertEquals(0, row.lost());
        assertEquals(1, row.doubleCounted());
        assertFalse(row.spendEqual());
    }

    @Test
    void shouldExpectAMissingUsageAlertOnlyWhereTheUpstreamSentNoUsage() {
        ledger.put("t-0", new Ledger("t-0", KEY, false, "COMPLETED", 0, 0, 0));
        items.put("s0", item("s0", KEY_ID, null, Outcome.COMPLETED, true));

        Row row = compare(false, sent("t-0", "s0"), Set.of("s0"));

        assertEquals(0, row.lost());
        assertEquals(1, row.alertsExpected());
        assertEquals(1, row.alertsGot());
    }

    private Row compare(boolean relayFault, List<Sent> sent) {
        return compare(relayFault, sent, Set.of());
    }

    private Row compare(boolean relayFault, List<Sent> sent, Set<String> alerts) {
        return Accounting.compare("t", relayFault, "proof", sent, ledger, items, spend, alerts);
    }

    private static List<Sent> sent(String tag, String streamId) {
        return List.of(new Sent(tag, KEY, "gpt-4o", "usage", 200, streamId, true, true, "end"));
    }

    private void billed(String tag, String streamId, String keyId, long p, long c, Outcome o) {
        ledger.put(tag, new Ledger(tag, KEY, true, "COMPLETED", p, c, 0));
        Usage usage =
                Usage.newBuilder()
                        .setPromptTokens(p)
                        .setCompletionTokens(c)
                        .setTotalTokens(p + c)
                        .setCachedPromptTokens(0L)
                        .setReasoningTokens(0L)
                        .setCacheCreationPromptTokens(0L)
                        .build();
        items.put(streamId, item(streamId, keyId, usage, o, false));
    }

    private void spend(long p, long c) {
        spend.put(
                KEY_ID + "|gpt-4o|0",
                SpendAggregate.newBuilder()
                        .setKeyId(KEY_ID)
                        .setModel("gpt-4o")
                        .setWindowStart(java.time.Instant.EPOCH)
                        .setWindowEnd(java.time.Instant.EPOCH.plusSeconds(3600))
                        .setRequests(1)
                        .setPromptTokens(p)
                        .setCompletionTokens(c)
                        .setCachedPromptTokens(0)
                        .setReasoningTokens(0)
                        .setEstimatedPromptTokens(0)
                        .setEstimatedCompletionTokens(0)
                        .setStreamsMissingUsage(0)
                        .setCostMicros(0)
                        .setUnpricedTokens(0)
                        .build());
    }

    private static StreamSummary item(
            String streamId, String keyId, Usage usage, Outcome outcome, boolean missing) {
        return StreamSummary.newBuilder()
                .setStreamId(streamId)
                .setKeyId(keyId)
                .setOutcome(outcome)
                .setEndedAt(java.time.Instant.EPOCH)
                .setUsage(usage)
                .setUsageSource(usage == null ? UsageSource.NONE : UsageSource.REPORTED)
                .setMissingUsage(missing)
                .setMissingUsageReason(missing ? "orphaned" : null)
                .build();
    }
}
