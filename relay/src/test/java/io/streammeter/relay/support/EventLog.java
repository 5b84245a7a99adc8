package io.streammeter.relay.support;

import static org.awaitility.Awaitility.await;

import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.kafka.TestKafka;
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
 * can ask for all events of one stream id once its {@code StreamEnded} has arrived.
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

    /** The events of {@code streamId} read so far, by sequence; polls once first. */
    public List<StreamEvent> events(String streamId) {
        poll();
        return byStream.getOrDefault(streamId, List.of()).stream()
                .map(ConsumerRecord::value)
                .sorted(Comparator.comparingLong(StreamEvent::getSequence))
                .toList();
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
