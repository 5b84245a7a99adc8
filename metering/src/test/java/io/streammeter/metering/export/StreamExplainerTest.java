package io.streammeter.metering.export;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.grouped;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The explainer's rows: a chunk group listed chunk by chunk, a runaway stream cut in events. */
class StreamExplainerTest {

    @Test
    void shouldListAGroupsChunksOneByOne() {
        List<Map<String, Object>> rows =
                StreamExplainer.rows(
                        List.of(
                                started("s1", T0),
                                grouped(
                                        chunk("s1", 1, T0.plusMillis(10)),
                                        chunk("s1", 2, T0.plusMillis(20)),
                                        chunk("s1", 3, T0.plusMillis(30))),
                                ended("s1", 4, T0.plusMillis(40), usage(5, 3))));

        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L),
                rows.stream().map(r -> r.get("sequence")).toList(),
                rows.toString());
        assertEquals(
                List.of("started", "chunk", "chunk", "chunk", "ended"),
                rows.stream().map(r -> r.get("type")).toList(),
                rows.toString());
        assertEquals(T0.plusMillis(20).toString(), rows.get(2).get("event_time"), rows.toString());
        assertEquals(1, rows.get(2).get("chunk_index"), rows.toString());
    }

    @Test
    void shouldCutARunawayStreamAtMaxEventsCountingEveryChunkOfAGroup() {
        List<StreamEvent> records = new ArrayList<>();
        long seq = 1;
        while (seq <= StreamExplainer.MAX_EVENTS + 64) {
            records.add(grouped(chunk("s1", seq, T0), chunk("s1", seq + 1, T0)));
            seq += 2;
        }

        assertEquals(StreamExplainer.MAX_EVENTS, StreamExplainer.rows(records).size());
    }
}
