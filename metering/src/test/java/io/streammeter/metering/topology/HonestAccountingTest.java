package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.KEY;
import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.anthropicUsage;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.Usage;
import io.streammeter.avro.UsageSource;
import io.streammeter.metering.domain.SpendKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What arrived is accounted for as it is: a stream without its start is billed to no key and
 * flagged until the start turns up; a stream cut with only its provisional usage bills the input
 * and estimates the output, flagged.
 */
class HonestAccountingTest {
    static final String CLAUDE = "claude-3-7-sonnet-20250219";

    private final MeteringDriver metering = new MeteringDriver(T0);

    @AfterEach
    void close() {
        metering.close();
    }

    @Test
    void shouldFlagAStreamWhoseStartNeverArrivedAndMoveItToItsKeyWhenTheStartComesLate() {
        metering.pipe(chunk("s1", 1, T0), ended("s1", 2, T0.plusSeconds(1), usage(100, 10)));
        assertEquals(List.of(), metering.summaries(), "waits the gap timeout for the start");
        metering.advanceWallClock(Duration.ofMinutes(3));

        StreamSummary unattributed = HonestAccountingTest.single(metering.summaries());
        assertNull(unattributed.getKeyId(), unattributed.toString());
        assertFalse(unattributed.getMissingUsage(), "its usage is there: " + unattributed);
        MissingUsageAlert alert = single(metering.alerts());
        assertEquals("start_missing", alert.getReason());
        assertEquals("s1", alert.getStreamId());
        assertEquals(Outcome.COMPLETED, alert.getOutcome());
        assertEquals(1, metering.metrics.count("metering.start.missing"));
        Map<String, SpendAggregate> rows = metering.spendRows();
        assertEquals(1, rows.size(), "only the no-key row: " + rows);
        assertEquals(SpendKey.NONE, rows.values().iterator().next().getKeyId());

        metering.pipe(started("s1", T0));

        StreamSummary resolved = single(metering.summaries());
        assertEquals(1, resolved.getRevision());
        assertEquals(KEY, resolved.getKeyId());
        assertEquals(List.of(), metering.alerts(), "a resolved stream raises no new alert");
        assertEquals(1, metering.metrics.count("metering.start.missing.resolved"));
        rows = metering.spendRows();
        for (SpendAggregate row : rows.values()) {
            long expected = row.getKeyId().equals(KEY) ? 1 : 0;
            assertEquals(expected, row.getRequests(), "the no-key row is taken back: " + rows);
        }
    }

    @Test
    void shouldBillTheInputAndEstimateTheOutputOfAnAnthropicStreamCutAfterMessageStart() {
        Usage messageStart = partial(anthropicUsage(472, 1, 0, 0));
        metering.pipe(
                started("s1", T0, KEY, CLAUDE, ApiShape.ANTHROPIC_MESSAGES),
                chunk("s1", 1, T0.plusMillis(100), messageStart),
                chunk("s1", 2, T0.plusMillis(200)),
                chunk("s1", 3, T0.plusMillis(300)),
                ended(
                        "s1",
                        4,
                        T0.plusSeconds(1),
                        messageStart,
                        e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED).setContentChars(10_000)));

        StreamSummary item = single(metering.summaries());
        assertTrue(item.getUsage().getPartial(), item.toString());
        assertEquals(472, item.getUsage().getPromptTokens(), "input is reported");
        assertEquals(0, item.getUsage().getCompletionTokens(), "not the provisional 1 token");
        assertEquals(UsageSource.REPORTED, item.getUsageSource());
        assertEquals(0, item.getEstimatedPromptTokens());
        assertEquals(2_500, item.getEstimatedCompletionTokens(), "10,000 characters delivered");
        assertTrue(item.getMissingUsage());
        assertEquals("client_disconnected", item.getMissingUsageReason());
        assertEquals(472L * 3, item.getCostMicros(), "input at 3 USD per 1M; output not priced");
        MissingUsageAlert alert = single(metering.alerts());
        assertEquals("client_disconnected", alert.getReason());
        assertEquals(2_500, alert.getEstimatedCompletionTokens());
        assertEquals(1, metering.metrics.count("metering.usage.partial"));
        SpendAggregate row = single(List.copyOf(metering.spendRows().values()));
        assertEquals(472, row.getPromptTokens());
        assertEquals(0, row.getCompletionTokens());
        assertEquals(2_500, row.getEstimatedCompletionTokens());
        assertEquals(1, row.getStreamsMissingUsage());
    }

    @Test
    void shouldBillAStreamWhoseFinalUsageArrivedInFullAndUnflagged() {
        metering.pipe(
                started("s1", T0, KEY, CLAUDE, ApiShape.ANTHROPIC_MESSAGES),
                chunk("s1", 1, T0.plusMillis(100), partial(anthropicUsage(472, 1, 0, 0))),
                ended("s1", 2, T0.plusSeconds(1), anthropicUsage(472, 15, 0, 0)));

        StreamSummary item = single(metering.summaries());
        assertFalse(item.getUsage().getPartial());
        assertEquals(15, item.getUsage().getCompletionTokens());
        assertFalse(item.getMissingUsage());
        assertEquals(List.of(), metering.alerts());
    }

    @Test
    void shouldOrphanAStreamWithOnlyPartialUsageAsPartial() {
        metering.pipe(
                started("s1", T0, KEY, CLAUDE, ApiShape.ANTHROPIC_MESSAGES),
                chunk("s1", 1, T0.plusMillis(100), partial(anthropicUsage(472, 1, 0, 0))),
                chunk("s1", 2, T0.plusMillis(200)));
        metering.advanceWallClock(Duration.ofMinutes(11));

        StreamSummary item = single(metering.summaries());
        assertEquals(Outcome.ORPHANED, item.getOutcome());
        assertTrue(item.getUsage().getPartial());
        assertEquals(472, item.getUsage().getPromptTokens());
        assertEquals("orphaned", item.getMissingUsageReason());
        assertEquals(20, item.getEstimatedCompletionTokens(), "2 chunks of 40 characters");
    }

    static Usage partial(Usage usage) {
        return Usage.newBuilder(usage).setPartial(true).build();
    }

    static <T> T single(List<T> items) {
        assertEquals(1, items.size(), "expected one: " + items);
        return items.get(0);
    }
}
