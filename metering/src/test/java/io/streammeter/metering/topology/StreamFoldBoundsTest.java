package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.ClosedStream;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.SequenceTracker;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hole in a long stream keeps its fold small: the events after the hole make one run of sequence
 * numbers, not a list that grows (and is copied and re-serialised) with every event.
 */
class StreamFoldBoundsTest {
    static final int CHUNKS = 10_000;

    private final MeteringDriver metering = new MeteringDriver(T0);
    private final JsonSerde<OpenStream> folds = JsonSerde.folds();

    @AfterEach
    void close() {
        metering.close();
    }

    @Test
    void shouldKeepA10000ChunkStreamWithAHoleAtChunk2SmallAndLinear() {
        KeyValueStore<String, OpenStream> open = metering.driver.getKeyValueStore(Names.OPEN_STORE);
        metering.pipe(started("s1", T0), chunk("s1", 1, T0));
        int sizeAfter100 = 0;
        int largestRuns = 0;
        for (int seq = 3; seq <= CHUNKS; seq++) { // chunk 2 is lost
            metering.pipe(chunk("s1", seq, T0.plusMillis(seq)));
            OpenStream fold = open.get("s1");
            largestRuns = Math.max(largestRuns, fold.seen().runCount());
            if (seq == 100) {
                sizeAfter100 = folds.serialize(fold).length;
            }
        }
        OpenStream fold = open.get("s1");
        int sizeAfter10000 = folds.serialize(fold).length;

        // Constant state per event means constant work per event: the fold is linear overall.
        assertEquals(1, largestRuns, "one run after the hole, whatever the stream's length");
        assertEquals(new SequenceTracker(2, new long[] {3, CHUNKS + 1L}, 0), fold.seen());
        assertTrue(
                sizeAfter10000 <= sizeAfter100 + 8,
                "fold grew from " + sizeAfter100 + " to " + sizeAfter10000 + " bytes");
        assertTrue(sizeAfter10000 < 512, "fold of " + sizeAfter10000 + " bytes");

        metering.pipe(ended("s1", CHUNKS + 1L, T0.plusSeconds(20), usage(100, 2_000)));
        metering.advanceWallClock(Duration.ofMinutes(3));

        List<StreamSummary> items = metering.summaries();
        assertEquals(1, items.size(), "line items: " + items);
        assertEquals(1, items.get(0).getSequenceGaps(), "chunk 2");
        assertEquals(0, metering.count(Names.OPEN_STORE));
    }

    @Test
    void shouldBoundTheFoldOfAStreamThatLosesEveryOtherEvent() {
        KeyValueStore<String, OpenStream> open = metering.driver.getKeyValueStore(Names.OPEN_STORE);
        metering.pipe(started("s1", T0));
        for (int seq = 1; seq <= 4 * SequenceTracker.MAX_RUNS; seq += 2) {
            metering.pipe(chunk("s1", seq, T0.plusMillis(seq)));
        }

        OpenStream fold = open.get("s1");
        assertTrue(fold.seen().runCount() <= SequenceTracker.MAX_RUNS, fold.seen().toString());
        assertTrue(folds.serialize(fold).length < 8_192, "fold bytes");
        assertEquals(2 * SequenceTracker.MAX_RUNS - 1, fold.sequenceGaps(), "every even number");
    }

    @Test
    void shouldKeepOnlyASmallFoldForDaysOnceAStreamWithManyHolesCloses() {
        metering.pipe(started("s1", T0));
        int last = 2 * SequenceTracker.MAX_RUNS;
        for (int seq = 1; seq < last; seq += 2) {
            metering.pipe(chunk("s1", seq, T0.plusMillis(seq)));
        }
        metering.pipe(ended("s1", last + 1L, T0.plusSeconds(20), usage(100, 2_000)));
        metering.advanceWallClock(Duration.ofMinutes(3));

        StreamSummary item = metering.summaries().get(0);
        assertEquals(SequenceTracker.MAX_RUNS, item.getSequenceGaps(), "every even number");
        WindowStore<String, ClosedStream> closed =
                metering.driver.getWindowStore(Names.CLOSED_STORE);
        ClosedStream marker;
        try (var it = closed.fetch("s1", 0, Long.MAX_VALUE)) {
            marker = it.next().value;
        }
        assertTrue(marker.correctable(), "kept for a late start or end");
        assertTrue(
                marker.fold().seen().runCount() <= ClosedStream.MARKER_RUNS,
                marker.fold().seen().toString());
        assertEquals(SequenceTracker.MAX_RUNS, marker.fold().sequenceGaps(), "still counted");
        int bytes = new ClosedStreamSerde().serialize(marker).length;
        assertTrue(bytes < 2_048, "marker of " + bytes + " bytes");
    }
}
