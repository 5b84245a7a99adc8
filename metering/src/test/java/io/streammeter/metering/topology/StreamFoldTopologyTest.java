package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.KEY;
import static io.streammeter.metering.Fixtures.MODEL;
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
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.UsageSource;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fold on the whole topology, for every order in which a stream's events can arrive. */
class StreamFoldTopologyTest {
    private final MeteringDriver metering = new MeteringDriver(T0);

    @AfterEach
    void close() {
        metering.close();
    }

    @Test
    void shouldHandEachOpenFoldToItsChangelogAtTheCommitAndDeleteItThereWhenTheStreamCloses() {
        // TopologyTestDriver commits after every record: each fold reaches the changelog (the
        // exactly-once state) then, although the store keeps it as an object in between.
        metering.pipe(started("s1", T0), chunk("s1", 1, T0));
        assertEquals(
                List.of(KeyValue.pair("s1", false), KeyValue.pair("s1", false)),
                metering.changelog(Names.OPEN_STORE));

        metering.pipe(ended("s1", 2, T0.plusSeconds(1), usage(3, 4)));

        assertEquals(List.of(KeyValue.pair("s1", true)), metering.changelog(Names.OPEN_STORE));
    }

    @Test
    void shouldKeyTheDeadlineIndexByZeroPaddedMillisSoKeysSortByDeadline() {
        assertEquals("0000000000042|s1", StreamFoldProcessor.deadlineKey(42, "s1"));
        assertEquals(
                "1763800000000|s_x", StreamFoldProcessor.deadlineKey(1_763_800_000_000L, "s_x"));
        assertTrue(
                StreamFoldProcessor.deadlineKey(999, "z")
                                .compareTo(StreamFoldProcessor.deadlineKey(1_000, "a"))
                        < 0);
    }

    @Test
    void shouldEmitOneLineItemWhenChunksThenEndArrive() {
        metering.pipe(
                started("s1", T0),
                chunk("s1", 1, T0.plusMillis(100)),
                chunk("s1", 2, T0.plusMillis(200)),
                ended("s1", 3, T0.plusSeconds(3), usage(12, 30)));

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        StreamSummary item = items.get(0);
        assertEquals("s1", item.getStreamId());
        assertEquals(KEY, item.getKeyId());
        assertEquals(MODEL, item.getModel());
        assertEquals(Outcome.COMPLETED, item.getOutcome());
        assertEquals(UsageSource.REPORTED, item.getUsageSource());
        assertEquals(12, item.getUsage().getPromptTokens());
        assertEquals(2, item.getChunkCount());
        assertEquals(0, item.getSequenceGaps());
        assertEquals(20L, item.getCostMicros(), "12 x 0.15 + 30 x 0.60 = 19.8 micro-USD, half up");
        assertEquals("gpt-4o-mini*@2024-07-18T00:00:00Z", item.getPriceEntry());
        assertEquals(T0.plusSeconds(3), item.getEndedAt());
        assertFalse(item.getMissingUsage());
    }

    @Test
    void shouldBillAnAnthropicStreamWithItsShapeAndCacheWrites() {
        String claude = "claude-3-7-sonnet-20250219";
        metering.pipe(
                started("s1", T0, KEY, claude, ApiShape.ANTHROPIC_MESSAGES),
                chunk("s1", 1, T0.plusMillis(100), anthropicUsage(472, 1, 12_000, 1_800)),
                ended("s1", 2, T0.plusSeconds(3), anthropicUsage(472, 15, 12_000, 1_800)));

        StreamSummary item = metering.summaries().get(0);
        assertEquals(ApiShape.ANTHROPIC_MESSAGES, item.getApiShape());
        assertEquals(14_272, item.getUsage().getPromptTokens());
        assertEquals(1_800L, item.getUsage().getCacheCreationPromptTokens());
        assertEquals(
                472 * 3 + 12_000 * 3 / 10 + 1_800 * 375 / 100 + 15 * 15,
                item.getCostMicros(),
                "input 3, cache read 0.30, cache write 3.75, output 15 USD per 1M");
        assertEquals("claude-3-7-sonnet*@2025-02-24T00:00:00Z", item.getPriceEntry());
    }

    @Test
    void shouldKeepCacheWritesOfAChunksUsageThroughTheStateStore() {
        metering.pipe(
                started("s1", T0, KEY, "claude-3-7-sonnet-20250219", ApiShape.ANTHROPIC_MESSAGES),
                chunk("s1", 1, T0.plusMillis(100), anthropicUsage(40, 1, 0, 1_000)));
        metering.pipe(
                ended(
                        "s1",
                        2,
                        T0.plusSeconds(3),
                        null,
                        e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED)));

        StreamSummary item = metering.summaries().get(0);
        assertEquals(1_000L, item.getUsage().getCacheCreationPromptTokens(), item.toString());
        assertEquals(40 * 3 + 1_000 * 375 / 100 + 15, item.getCostMicros());
    }

    @Test
    void shouldWaitForChunksThatArriveAfterTheEnd() {
        metering.pipe(started("s1", T0), ended("s1", 3, T0.plusSeconds(3), usage(12, 30)));
        assertEquals(
                List.of(), metering.summaries(), "no line item while chunks 1 and 2 are missing");

        metering.pipe(chunk("s1", 2, T0.plusMillis(200)), chunk("s1", 1, T0.plusMillis(100)));

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        assertEquals(0, items.get(0).getSequenceGaps());
        assertEquals(20L, items.get(0).getCostMicros());
    }

    @Test
    void shouldWaitForAStartThatArrivesAfterTheEnd() {
        metering.pipe(ended("s1", T0.plusSeconds(3), usage(12, 30)), started("s1", T0));

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        assertEquals(KEY, items.get(0).getKeyId());
    }

    @Test
    void shouldIgnoreDuplicateEvents() {
        metering.pipe(
                started("s1", T0),
                started("s1", T0),
                chunk("s1", 1, T0.plusMillis(100)),
                chunk("s1", 1, T0.plusMillis(100)),
                ended("s1", 2, T0.plusSeconds(3), usage(12, 30)));

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        assertEquals(1, items.get(0).getChunkCount());
        assertEquals(2.0, metering.metrics.count("metering.events.ignored", "kind", "duplicate"));
    }

    @Test
    void shouldBillAStreamTheRelayResentFromItsSpoolOnce() {
        // The relay's go-back-N after an unknown send outcome: everything from the oldest
        // unacknowledged event is sent again, so copies arrive both mid-stream and after the end.
        var start = started("s1", T0);
        var c1 = chunk("s1", 1, T0.plusMillis(100));
        var c2 = chunk("s1", 2, T0.plusMillis(200));
        var end = ended("s1", 3, T0.plusSeconds(3), usage(12, 30));
        metering.pipe(start, c1, c1, c2, start, c1, c2, end, start, c1, c2, end);

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        assertEquals(2, items.get(0).getChunkCount());
        assertEquals(0, items.get(0).getSequenceGaps());
        assertEquals(12, items.get(0).getUsage().getPromptTokens());
        assertEquals(1, metering.spendRows().values().iterator().next().getRequests());
    }

    @Test
    void shouldCountChunksTheRelayShedAsLostEventsButBillTheUsage() {
        metering.pipe(
                started("s1", T0),
                chunk("s1", 1, T0.plusMillis(100)),
                ended(
                        "s1",
                        2,
                        T0.plusSeconds(3),
                        usage(12, 30),
                        e -> e.setChunkCount(5).setChunksShed(4)));

        StreamSummary item = single(metering.summaries());
        assertEquals(4, item.getSequenceGaps(), "the shed chunks are marked as lost events");
        assertEquals(5, item.getChunkCount(), "the end's count includes them");
        assertEquals(30, item.getUsage().getCompletionTokens(), "usage billed from the end");
        assertEquals(Outcome.COMPLETED, item.getOutcome());
    }

    @Test
    void shouldCountADuplicatedEndOnce() {
        metering.pipe(
                started("s1", T0),
                ended("s1", T0.plusSeconds(3), usage(12, 30)),
                ended("s1", T0.plusSeconds(3), usage(12, 30)),
                chunk("s1", 1, T0.plusSeconds(1)));

        assertEquals(1, metering.summaries().size());
        assertEquals(1, metering.spendRows().values().iterator().next().getRequests());
        assertEquals(2.0, metering.metrics.count("metering.events.ignored", "kind", "closed"));
    }

    @Test
    void shouldIgnoreASecondEndWithAnotherSequenceWhileWaitingForChunks() {
        metering.pipe(
                started("s1", T0),
                ended("s1", 3, T0.plusSeconds(3), usage(12, 30)),
                ended("s1", 4, T0.plusSeconds(4), usage(99, 99)),
                chunk("s1", 1, T0.plusMillis(100)),
                chunk("s1", 2, T0.plusMillis(200)));

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        assertEquals(12, items.get(0).getUsage().getPromptTokens());
        assertEquals(1.0, metering.metrics.count("metering.events.ignored", "kind", "after_end"));
    }

    @Test
    void shouldOrphanAStreamWithoutEndAndCorrectItWhenTheEndArrivesLate() {
        metering.pipe(started("s1", T0), chunk("s1", 1, T0.plusMillis(100)));
        metering.advanceWallClock(Duration.ofMinutes(9));
        assertEquals(List.of(), metering.summaries(), "not orphaned before the timeout");

        metering.advanceWallClock(Duration.ofMinutes(2));
        StreamSummary orphan = single(metering.summaries());
        assertEquals(Outcome.ORPHANED, orphan.getOutcome());
        assertEquals(0, orphan.getRevision());
        assertTrue(orphan.getMissingUsage());
        assertEquals("orphaned", orphan.getMissingUsageReason());
        assertEquals(UsageSource.ESTIMATED, orphan.getUsageSource());
        assertEquals(100, orphan.getEstimatedPromptTokens(), "400 prompt chars / 4");
        assertEquals(10, orphan.getEstimatedCompletionTokens(), "40 content chars / 4");

        metering.pipe(ended("s1", 2, T0.plusSeconds(3), usage(12, 30)));
        StreamSummary corrected = single(metering.summaries());
        assertEquals(1, corrected.getRevision());
        assertEquals(Outcome.COMPLETED, corrected.getOutcome());
        assertEquals(20L, corrected.getCostMicros());
        assertFalse(corrected.getMissingUsage());
        assertEquals(1.0, metering.metrics.count("metering.orphans"));
    }

    @Test
    void shouldBillTheLatestCumulativeUsageOfChunksWhenTheEndNeverArrives() {
        metering.pipe(
                started("s1", T0),
                chunk("s1", 1, T0.plusMillis(100), usage(12, 5)),
                chunk("s1", 3, T0.plusMillis(300), usage(12, 30)),
                chunk("s1", 2, T0.plusMillis(200), usage(12, 20)));
        metering.advanceWallClock(Duration.ofMinutes(11));

        StreamSummary orphan = single(metering.summaries());
        assertEquals(Outcome.ORPHANED, orphan.getOutcome());
        assertEquals(UsageSource.REPORTED, orphan.getUsageSource());
        assertEquals(30, orphan.getUsage().getCompletionTokens(), "usage of the highest sequence");
        assertFalse(orphan.getMissingUsage(), "usage was seen, so it is not missing");
        assertEquals(20L, orphan.getCostMicros());
    }

    @Test
    void shouldReportLostEventsAsSequenceGapsNotAsMissingUsage() {
        metering.pipe(started("s1", T0));
        for (int seq = 1; seq <= 5; seq++) {
            metering.pipe(chunk("s1", seq, T0.plusMillis(100L * seq)));
        }
        metering.pipe(ended("s1", 7, T0.plusSeconds(3), usage(12, 30)));
        assertEquals(List.of(), metering.summaries(), "waits for chunk 6 during the gap timeout");

        metering.advanceWallClock(Duration.ofMinutes(3));

        StreamSummary item = single(metering.summaries());
        assertEquals(1, item.getSequenceGaps());
        assertFalse(item.getMissingUsage());
        assertEquals(Outcome.COMPLETED, item.getOutcome());
        assertEquals(20L, item.getCostMicros());
    }

    @Test
    void shouldFlagMissingUsageOnlyForStreamsTheUpstreamAccepted() {
        metering.pipe(
                started("s1", T0),
                ended(
                        "s1",
                        1,
                        T0.plusSeconds(1),
                        null,
                        e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED)),
                started("s2", T0),
                ended(
                        "s2",
                        1,
                        T0.plusSeconds(1),
                        null,
                        e -> e.setOutcome(Outcome.UPSTREAM_ERROR).setUpstreamStatus(500)),
                started("s3", T0),
                ended(
                        "s3",
                        1,
                        T0.plusSeconds(1),
                        null,
                        e -> e.setOutcome(Outcome.REJECTED).setUpstreamStatus(null)),
                started("s4", T0),
                ended("s4", 1, T0.plusSeconds(1), null));

        List<StreamSummary> items = metering.summaries();
        assertEquals(4, items.size());
        assertEquals("client_disconnected", items.get(0).getMissingUsageReason());
        assertFalse(items.get(1).getMissingUsage(), "non-2xx: nothing to bill");
        assertFalse(items.get(2).getMissingUsage(), "rejected: nothing to bill");
        assertEquals(UsageSource.NONE, items.get(2).getUsageSource());
        assertEquals("no_usage_reported", items.get(3).getMissingUsageReason());
        assertNull(items.get(3).getCostMicros());
    }

    @Test
    void shouldPreferTheModelTheUpstreamReported() {
        metering.pipe(
                started("s1", T0, KEY, "gpt-4o"),
                ended(
                        "s1",
                        1,
                        T0.plusSeconds(1),
                        usage(1000, 1000),
                        e -> e.setModelReported("gpt-4o-2024-08-06")));

        StreamSummary item = single(metering.summaries());
        assertEquals("gpt-4o-2024-08-06", item.getModel());
        assertEquals("gpt-4o", item.getModelRequested());
        assertEquals(12_500L, item.getCostMicros(), "1000 x 2.50 + 1000 x 10.00");
    }

    @Test
    void shouldLeaveNoStateBehind() {
        metering.pipe(
                started("complete", T0),
                chunk("complete", 1, T0),
                ended("complete", 2, T0.plusSeconds(1), usage(1, 1)),
                ended("end-first", 2, T0.plusSeconds(1), usage(1, 1)),
                chunk("end-first", 1, T0),
                started("end-first", T0),
                started("orphan", T0),
                started("gap", T0),
                ended("gap", 3, T0.plusSeconds(1), usage(1, 1)),
                chunk("only-chunk", 4, T0));
        metering.advanceWallClock(Duration.ofMinutes(11));
        metering.pipe(ended("orphan", 1, T0.plusSeconds(2), usage(1, 1)));

        assertEquals(6, metering.summaries().size());
        assertEquals(0, metering.count(Names.OPEN_STORE), "open folds left");
        assertEquals(0, metering.count(Names.DEADLINE_STORE), "deadline entries left");
    }

    @Test
    void shouldGiveStreamsAFullTimeoutAfterARestart() {
        metering.advanceWallClock(Duration.ofMinutes(30));
        metering.pipe(started("s1", T0));
        metering.advanceWallClock(Duration.ofMinutes(9));

        assertEquals(List.of(), metering.summaries(), "timed from when metering saw the start");
    }

    static StreamSummary single(List<StreamSummary> items) {
        assertEquals(1, items.size(), "line items: " + items);
        return items.get(0);
    }
}
