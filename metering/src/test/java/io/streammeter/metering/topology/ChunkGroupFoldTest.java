package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.Fixtures;
import io.streammeter.schemas.AvroSerde;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A StreamChunks event (StreamEvent v5) folds exactly as its chunks would one by one: same line
 * item, a resent group billed once, a gap inside a group detected.
 */
class ChunkGroupFoldTest {
    static {
        AvroSerde.of(StreamEvent.class); // trusts the generated classes, as the topology does
    }

    /** The group the relay would publish for these chunk events of one stream. */
    static StreamEvent group(StreamEvent... chunks) {
        return Fixtures.grouped(chunks);
    }

    private static List<StreamSummary> run(StreamEvent... events) {
        try (MeteringDriver metering = new MeteringDriver(T0)) {
            metering.pipe(events);
            metering.advanceWallClock(Duration.ofMinutes(15));
            return metering.summaries();
        }
    }

    @Test
    void shouldGiveTheSameLineItemGroupedAsUngrouped() {
        StreamEvent c1 = chunk("s1", 1, T0.plusMillis(100));
        StreamEvent c2 = chunk("s1", 2, T0.plusMillis(200));
        StreamEvent c3 = chunk("s1", 3, T0.plusMillis(300), usage(12, 5));
        StreamEvent c4 = chunk("s1", 4, T0.plusMillis(400));
        StreamEvent end = ended("s1", 5, T0.plusSeconds(3), usage(12, 30));

        List<StreamSummary> ungrouped = run(started("s1", T0), c1, c2, c3, c4, end);
        List<StreamSummary> grouped = run(started("s1", T0), group(c1, c2, c3), c4, end);

        assertEquals(1, ungrouped.size());
        assertEquals(ungrouped, grouped);
        assertEquals(4, grouped.get(0).getChunkCount());
    }

    @Test
    void shouldGiveTheSameLineItemForAStreamThatNeverEnds() {
        StreamEvent c1 = chunk("s1", 1, T0.plusMillis(100));
        StreamEvent c2 = chunk("s1", 2, T0.plusMillis(200), usage(12, 5));

        List<StreamSummary> ungrouped = run(started("s1", T0), c1, c2);
        List<StreamSummary> grouped = run(started("s1", T0), group(c1, c2));

        assertEquals(1, ungrouped.size());
        assertEquals(ungrouped, grouped, "orphaned, billed from the partial usage alike");
    }

    @Test
    void shouldBillAResentGroupOnce() {
        StreamEvent g =
                group(chunk("s1", 1, T0.plusMillis(100)), chunk("s1", 2, T0.plusMillis(200)));
        StreamEvent end = ended("s1", 3, T0.plusSeconds(3), usage(12, 30));

        List<StreamSummary> once = run(started("s1", T0), g, end);
        List<StreamSummary> resent = run(started("s1", T0), g, g, end, g, end);

        assertEquals(1, resent.size(), "line items: " + resent);
        assertEquals(once, resent);
        assertEquals(2, resent.get(0).getChunkCount());
        assertEquals(0, resent.get(0).getSequenceGaps());
    }

    @Test
    void shouldBillAGroupOnceWhenItsChunksAlsoCameOneByOne() {
        StreamEvent c1 = chunk("s1", 1, T0.plusMillis(100));
        StreamEvent c2 = chunk("s1", 2, T0.plusMillis(200));
        StreamEvent end = ended("s1", 3, T0.plusSeconds(3), usage(12, 30));

        List<StreamSummary> items = run(started("s1", T0), c1, group(c1, c2), c2, end);

        assertEquals(run(started("s1", T0), c1, c2, end), items);
    }

    @Test
    void shouldDetectAGapInsideAGroup() {
        StreamEvent c1 = chunk("s1", 1, T0.plusMillis(100));
        StreamEvent c3 = chunk("s1", 3, T0.plusMillis(300));
        StreamEvent end = ended("s1", 4, T0.plusSeconds(3), usage(12, 30));

        List<StreamSummary> grouped = run(started("s1", T0), group(c1, c3), end);

        assertEquals(1, grouped.size());
        assertEquals(1, grouped.get(0).getSequenceGaps());
        assertEquals(run(started("s1", T0), c1, c3, end), grouped);
    }
}
