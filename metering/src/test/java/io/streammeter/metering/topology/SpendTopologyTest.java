package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.KEY;
import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.SpendEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hourly spend rows from line items, late line items, unpriced models and corrections. */
class SpendTopologyTest {
    private final MeteringDriver metering = new MeteringDriver(T0);

    @AfterEach
    void close() {
        metering.close();
    }

    @Test
    void shouldSumLineItemsIntoHourlyRowsPerKeyAndModel() {
        metering.pipe(
                started("s1", T0),
                ended("s1", T0.plusSeconds(3), usage(12, 30)),
                started("s2", T0),
                ended("s2", T0.plusSeconds(50), usage(1000, 1000, 400L)),
                started("s3", T0, KEY, "gpt-4o"),
                ended("s3", T0.plusSeconds(60), usage(1000, 1000)),
                started("s4", T0, "k_other", "gpt-4o-mini"),
                ended("s4", T0.plusSeconds(3700), usage(12, 30)));

        Map<String, SpendAggregate> rows = metering.spendRows();
        assertEquals(3, rows.size(), "rows: " + rows.keySet());
        SpendAggregate mini = rows.get(key(KEY, "gpt-4o-mini", T0));
        assertEquals(2, mini.getRequests());
        assertEquals(1012, mini.getPromptTokens());
        assertEquals(1030, mini.getCompletionTokens());
        assertEquals(400, mini.getCachedPromptTokens());
        assertEquals(
                20 + 720, mini.getCostMicros(), "600 x 0.15 + 400 x 0.075 + 1000 x 0.60 = 720");
        assertEquals(T0.plus(Duration.ofHours(1)), mini.getWindowEnd());
        assertEquals(12_500, rows.get(key(KEY, "gpt-4o", T0)).getCostMicros());
        assertEquals(
                1, rows.get(key("k_other", "gpt-4o-mini", T0.plusSeconds(3600))).getRequests());
    }

    @Test
    void shouldSendLineItemsLaterThanTheGraceToSpendLate() {
        metering.pipe(
                started("now", T0),
                ended("now", T0.plus(Duration.ofHours(3)), usage(12, 30)),
                started("late", T0),
                ended("late", T0.plusSeconds(10), usage(12, 30)),
                started("in-grace", T0),
                ended("in-grace", T0.plus(Duration.ofHours(2)).plusSeconds(10), usage(12, 30)));

        List<TestRecord<String, StreamSummary>> late = metering.late();
        assertEquals(1, late.size(), "late: " + late);
        assertEquals("late", late.get(0).key());
        assertEquals(
                "add",
                new String(
                        late.get(0).headers().lastHeader(SpendEntry.EFFECT_HEADER).value(), UTF_8));
        Map<String, SpendAggregate> rows = metering.spendRows();
        assertNull(rows.get(key(KEY, "gpt-4o-mini", T0)), "a late line item is not added");
        assertEquals(2, rows.size(), "rows: " + rows.keySet());
        assertEquals(1.0, metering.metrics.count("metering.spend.late", "effect", "add"));
    }

    @Test
    void shouldCountUnpricedModelsWithoutPricingThem() {
        metering.pipe(
                started("s1", T0, KEY, "mystery-model"),
                ended("s1", T0.plusSeconds(1), usage(10, 20)));

        StreamSummary item = metering.summaries().get(0);
        assertTrue(item.getUnpriced());
        assertNull(item.getCostMicros(), "never priced at zero");
        SpendAggregate row = metering.spendRows().get(key(KEY, "mystery-model", T0));
        assertEquals(30, row.getUnpricedTokens());
        assertEquals(1, row.getUnpricedRequests());
        assertEquals(0, row.getCostMicros());
        assertEquals(1.0, metering.metrics.count("metering.unpriced.line.items"));
    }

    @Test
    void shouldKeepEstimatesApartFromReportedTokens() {
        metering.pipe(
                started("s1", T0),
                ended(
                        "s1",
                        1,
                        T0.plusSeconds(1),
                        null,
                        e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED).setContentChars(80)));

        SpendAggregate row = metering.spendRows().get(key(KEY, "gpt-4o-mini", T0));
        assertEquals(0, row.getPromptTokens());
        assertEquals(100, row.getEstimatedPromptTokens());
        assertEquals(20, row.getEstimatedCompletionTokens());
        assertEquals(1, row.getStreamsMissingUsage());
        assertEquals(0, row.getCostMicros());
    }

    @Test
    void shouldAdjustSpendByTheDifferenceWhenAnOrphanIsCorrected() {
        metering.pipe(started("s1", T0));
        metering.advanceWallClock(Duration.ofMinutes(11));
        metering.pipe(ended("s1", 1, T0.plusSeconds(3), usage(12, 30)));

        SpendAggregate row = metering.spendRows().get(key(KEY, "gpt-4o-mini", T0));
        assertEquals(1, row.getRequests(), "the stream is counted once");
        assertEquals(12, row.getPromptTokens());
        assertEquals(20, row.getCostMicros());
        assertEquals(0, row.getStreamsMissingUsage());
        assertEquals(0, row.getEstimatedPromptTokens());
    }

    @Test
    void shouldMoveACorrectedStreamToTheModelItReported() {
        metering.pipe(started("s1", T0, KEY, "gpt-4o"));
        metering.advanceWallClock(Duration.ofMinutes(11));
        metering.pipe(
                ended(
                        "s1",
                        1,
                        T0.plusSeconds(3),
                        usage(1000, 1000),
                        e -> e.setModelReported("gpt-4o-2024-08-06")));

        Map<String, SpendAggregate> rows = metering.spendRows();
        assertEquals(0, rows.get(key(KEY, "gpt-4o", T0)).getRequests(), "orphan retracted");
        assertEquals(0, rows.get(key(KEY, "gpt-4o", T0)).getStreamsMissingUsage());
        SpendAggregate reported = rows.get(key(KEY, "gpt-4o-2024-08-06", T0));
        assertEquals(1, reported.getRequests());
        assertEquals(12_500, reported.getCostMicros());
    }

    static String key(String keyId, String model, Instant windowStart) {
        return keyId + "|" + model + "|" + windowStart.toEpochMilli();
    }
}
