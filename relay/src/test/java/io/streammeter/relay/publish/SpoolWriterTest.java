package io.streammeter.relay.publish;

import static io.streammeter.relay.publish.ChunkGrouperTest.chunk;
import static io.streammeter.relay.publish.ChunkGrouperTest.end;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.StreamEvent;
import io.streammeter.relay.config.SpoolConfig;
import io.streammeter.relay.spool.Spool;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool writer with chunk groups: nothing of a group is left in memory when it stops. */
class SpoolWriterTest {
    private static final Topic<String, StreamEvent> TOPIC = new TopicCatalog("t.").streamEvents();

    @TempDir Path dir;

    @Test
    void shouldSpoolOpenGroupsWhenItStops() throws Exception {
        // A window far longer than the test: only stopping can close the group.
        SpoolConfig config = SpoolConfig.in(dir).withChunkWindow(Duration.ofHours(1));
        try (Spool spool = Spool.open(dir, config.maxBytes(), config.segmentBytes())) {
            SpoolWriter writer = writer(spool, config);
            writer.offer(chunk("s", 1, false));
            writer.offer(chunk("s", 2, false));
            writer.offer(chunk("t", 1, false));

            assertTrue(writer.stop(10_000), "the writer ends");

            List<StreamEvent> spooled = read(spool);
            assertEquals(
                    List.of("s:1-2", "t:1"),
                    spooled.stream().map(StreamEvent::getEventId).toList(),
                    spooled.toString());
            assertEquals(0, writer.queued(), "nothing left in memory");
        }
    }

    @Test
    void shouldSpoolAStreamsGroupBeforeItsEnd() throws Exception {
        SpoolConfig config = SpoolConfig.in(dir).withChunkWindow(Duration.ofHours(1));
        try (Spool spool = Spool.open(dir, config.maxBytes(), config.segmentBytes())) {
            SpoolWriter writer = writer(spool, config);
            writer.offer(chunk("s", 1, false));
            writer.offer(chunk("s", 2, false));
            writer.offer(end("s", 3));

            assertTrue(writer.stop(10_000), "the writer ends");

            assertEquals(
                    List.of("s:1-2", "s:3"),
                    read(spool).stream().map(StreamEvent::getEventId).toList());
        }
    }

    private static SpoolWriter writer(Spool spool, SpoolConfig config) {
        return new SpoolWriter(
                spool, config, TOPIC.name(), TOPIC.valueSerde().serializer(), () -> {});
    }

    private static List<StreamEvent> read(Spool spool) throws IOException {
        return spool.read(0, 1000, 1 << 20).entries().stream()
                .map(
                        entry -> {
                            ByteBuffer payload = ByteBuffer.wrap(entry.payload());
                            payload.position(2 + payload.getShort());
                            byte[] value =
                                    Arrays.copyOfRange(
                                            entry.payload(),
                                            payload.position(),
                                            entry.payload().length);
                            return TOPIC.valueSerde()
                                    .deserializer()
                                    .deserialize(TOPIC.name(), value);
                        })
                .toList();
    }
}
