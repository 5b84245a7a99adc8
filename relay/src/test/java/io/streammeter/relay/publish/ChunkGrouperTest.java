package io.streammeter.relay.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.ChunkFact;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamChunks;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.Usage;
import io.streammeter.relay.config.SpoolConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkGrouperTest {
    private static final long WINDOW = Duration.ofMillis(100).toNanos();
    private final ChunkGrouper grouper = new ChunkGrouper(WINDOW, 4);
    private final List<StreamEvent> out = new ArrayList<>();
    private final List<Integer> offered = new ArrayList<>();
    private final ChunkGrouper.Sink sink =
            (event, count) -> {
                out.add(event);
                offered.add(count);
            };

    static StreamEvent chunk(String stream, long sequence, boolean usage) {
        return event(
                stream,
                sequence,
                StreamChunk.newBuilder()
                        .setChunkIndex((int) sequence - 1)
                        .setByteLength(10)
                        .setContentChars(3)
                        .setToolArgumentChars(0)
                        .setCarriesUsage(usage)
                        .setUsage(usage ? new Usage(1L, 2L, 3L, null, null, null, false) : null)
                        .build());
    }

    static StreamEvent end(String stream, long sequence) {
        return event(
                stream,
                sequence,
                StreamEnded.newBuilder()
                        .setOutcome(Outcome.COMPLETED)
                        .setChunkCount((int) sequence - 1)
                        .setContentChars(0)
                        .setDurationMillis(1)
                        .build());
    }

    static StreamEvent event(String stream, long sequence, Object payload) {
        return StreamEvent.newBuilder()
                .setEventId(stream + ":" + sequence)
                .setStreamId(stream)
                .setSequence(sequence)
                .setEventTime(Instant.ofEpochMilli(1000 + sequence))
                .setRelayInstanceId("relay-1")
                .setPayload(payload)
                .build();
    }

    private static List<Long> sequences(StreamEvent grouped) {
        return ((StreamChunks) grouped.getPayload())
                .getChunks().stream().map(ChunkFact::getSequence).toList();
    }

    @Test
    void shouldHoldChunksUntilTheWindowPasses() {
        grouper.accept(chunk("s", 1, false), 0, sink);
        grouper.accept(chunk("s", 2, false), 10, sink);
        grouper.expire(WINDOW - 1, sink);
        assertTrue(out.isEmpty());
        assertTrue(grouper.hasOpen());

        grouper.expire(WINDOW, sink);

        assertEquals(1, out.size());
        assertEquals(List.of(2), offered);
        StreamEvent grouped = out.get(0);
        assertEquals("s:1-2", grouped.getEventId());
        assertEquals(1, grouped.getSequence());
        assertEquals(List.of(1L, 2L), sequences(grouped));
        assertEquals(
                Instant.ofEpochMilli(1002),
                ((StreamChunks) grouped.getPayload()).getChunks().get(1).getEventTime());
        assertFalse(grouper.hasOpen());
    }

    @Test
    void shouldCloseAGroupAtTheMax() {
        for (long s = 1; s <= 5; s++) {
            grouper.accept(chunk("s", s, false), 0, sink);
        }
        assertEquals(1, out.size());
        assertEquals(List.of(1L, 2L, 3L, 4L), sequences(out.get(0)));
        grouper.closeAll(sink);
        assertEquals(chunk("s", 5, false), out.get(1)); // a group of one is the chunk
    }

    @Test
    void shouldCloseAGroupWithAChunkThatCarriesUsage() {
        grouper.accept(chunk("s", 1, false), 0, sink);
        grouper.accept(chunk("s", 2, true), 0, sink);

        assertEquals(1, out.size());
        assertEquals(List.of(1L, 2L), sequences(out.get(0)));
        assertNotNull(
                ((StreamChunks) out.get(0).getPayload()).getChunks().get(1).getChunk().getUsage());
    }

    @Test
    void shouldCloseTheGroupBeforeTheStreamsEnd() {
        grouper.accept(chunk("s", 1, false), 0, sink);
        grouper.accept(chunk("s", 2, false), 0, sink);
        grouper.accept(end("s", 3), 0, sink);

        assertEquals(2, out.size());
        assertEquals(List.of(1L, 2L), sequences(out.get(0)));
        assertEquals(end("s", 3), out.get(1));
        assertEquals(List.of(2, 1), offered);
        assertFalse(grouper.hasOpen());
    }

    @Test
    void shouldNeverMixStreams() {
        grouper.accept(chunk("a", 1, false), 0, sink);
        grouper.accept(chunk("b", 1, false), 0, sink);
        grouper.accept(chunk("a", 2, false), 0, sink);
        grouper.accept(chunk("b", 2, false), 0, sink);
        grouper.accept(end("a", 3), 0, sink);
        grouper.closeAll(sink);

        assertEquals(
                List.of("a:1-2", "a:3", "b:1-2"),
                out.stream().map(StreamEvent::getEventId).toList());
        assertEquals(List.of(1L, 2L), sequences(out.get(2)));
    }

    @Test
    void shouldExpireOnlyTheGroupsWhoseWindowPassed() {
        grouper.accept(chunk("a", 1, false), 0, sink);
        grouper.accept(chunk("a", 2, false), 0, sink);
        grouper.accept(chunk("b", 1, false), WINDOW / 2, sink);
        grouper.accept(chunk("b", 2, false), WINDOW / 2, sink);

        grouper.expire(WINDOW, sink);

        assertEquals(List.of("a:1-2"), out.stream().map(StreamEvent::getEventId).toList());
        assertTrue(grouper.hasOpen());
    }

    @Test
    void shouldCloseAGroupAtTheCapturedContentBound() {
        String big = "x".repeat(ChunkGrouper.MAX_RAW_CHARS / 2);
        grouper.accept(captured("s", 1, big), 0, sink);
        assertTrue(out.isEmpty());

        grouper.accept(captured("s", 2, big), 0, sink);

        assertEquals(1, out.size(), "two halves of the bound close the group: " + out);
        assertEquals(List.of(1L, 2L), sequences(out.get(0)));
        assertFalse(grouper.hasOpen());
    }

    private static StreamEvent captured(String stream, long sequence, String raw) {
        StreamEvent event = chunk(stream, sequence, false);
        ((StreamChunk) event.getPayload()).setRaw(raw);
        return event;
    }

    @Test
    void shouldNotGroupWithAZeroWindowOrAMaxOfOne() {
        SpoolConfig config = SpoolConfig.in(Path.of("spool"));
        assertTrue(config.groupsChunks());
        assertFalse(config.withChunkWindow(Duration.ZERO).groupsChunks());
        assertFalse(config.withChunkMax(1).groupsChunks());
    }
}
