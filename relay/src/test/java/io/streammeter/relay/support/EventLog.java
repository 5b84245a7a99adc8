package io.streammeter.relay.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.StreamChunks;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.kafka.TestKafka;
import io.streammeter.schemas.ChunkGroups;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a test's {@code stream-events} topic from the beginning and keeps every record, so a test
 * can ask for all events of one stream id once its {@code StreamEnded} has arrived. Events are what
 * each chunk told billing: a {@code StreamChunks} record counts as the chunk events it groups (its
 * envelope checked on the way), since the contract is per chunk, not per Kafka record.
 */
public final class EventLog implements AutoCloseable {
    private final KafkaConsumer<String, StreamEvent> consumer;
    private final Map<String, List<ConsumerRecord<String, StreamEvent>>> byStream = new HashMap<>();

    public EventLog(TestKafka kafka, TopicCatalog catalog) {
        this(kafka.bootstrapServers(), catalog);
    }

    /** Reads {@code catalog}'s events topic on the cluster at {@code bootstrapServers}. */
    public EventLog(String bootstrapServers, TopicCatalog catalog) {
        Topic<String, StreamEvent> topic = catalog.streamEvents();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer =
                new KafkaConsumer<>(
                        props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every event of {@code streamId}, by sequence, once its ending arrived (30 s at most). */
    public List<StreamEvent> awaitEnded(String streamId) {
        return awaitEnded(List.of(streamId)).get(streamId);
    }

    /** Every event of each stream, once all of them have ended. */
    public Map<String, List<StreamEvent>> awaitEnded(Collection<String> streamIds) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            poll();
                            return streamIds.stream().allMatch(this::ended);
                        });
        Map<String, List<StreamEvent>> events = new HashMap<>();
        streamIds.forEach(id -> events.put(id, events(id)));
        return events;
    }

    /**
     * The events of {@code streamId} read so far, a group read as its chunks, by sequence; polls
     * once first.
     */
    public List<StreamEvent> events(String streamId) {
        poll();
        return byStream.getOrDefault(streamId, List.of()).stream()
                .map(ConsumerRecord::value)
                .flatMap(e -> expand(e).stream())
                .sorted(Comparator.comparingLong(StreamEvent::getSequence))
                .toList();
    }

    /** The records of {@code streamId} read so far, in the order of its partition. */
    public List<StreamEvent> records(String streamId) {
        poll();
        return byStream.getOrDefault(streamId, List.of()).stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    /** A group's chunks, after checking its envelope: the first sequence, consecutive chunks. */
    static List<StreamEvent> expand(StreamEvent event) {
        if (!(event.getPayload() instanceof StreamChunks group)) {
            return List.of(event);
        }
        List<StreamEvent> chunks = ChunkGroups.expand(event);
        long first = chunks.get(0).getSequence();
        long last = chunks.get(chunks.size() - 1).getSequence();
        String text = event.toString();
        assertTrue(chunks.size() >= 2, "a group of one goes out as its chunk: " + text);
        assertEquals(
                first, event.getSequence(), "a group's sequence is its first chunk's: " + text);
        assertEquals(event.getStreamId() + ":" + first + "-" + last, event.getEventId(), text);
        assertEquals(chunks.size() - 1, last - first, "a group's chunks are consecutive: " + text);
        return chunks;
    }

    /** Every record read so far, of every stream. */
    public List<ConsumerRecord<String, StreamEvent>> all() {
        poll();
        return byStream.values().stream().flatMap(List::stream).toList();
    }

    private boolean ended(String streamId) {
        return byStream.getOrDefault(streamId, List.of()).stream()
                .anyMatch(r -> r.value().getPayload() instanceof StreamEnded);
    }

    private void poll() {
        for (ConsumerRecord<String, StreamEvent> record : consumer.poll(Duration.ofMillis(20))) {
            byStream.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
