package io.streammeter.metering.keys;

import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Reads and writes a compacted topic of records keyed by a name ({@code <prefix>keys}, {@code
 * <prefix>customer-budgets}). Writes use an idempotent producer with {@code acks=all} and return
 * only once the broker acknowledged. Reads consume the whole topic (latest version per key) with a
 * consumer of their own, no group. Blocking: call it off event loops.
 */
public class CompactedTopic<V> implements AutoCloseable {
    private final Map<String, Object> kafka;
    private final Topic<String, V> topic;
    private final Function<V, String> keyOf;
    private final Duration timeout;
    private KafkaProducer<String, V> producer;

    /**
     * @param kafka client settings (bootstrap servers, security); consumer and producer settings
     *     are taken from it
     */
    public CompactedTopic(
            Map<String, ?> kafka,
            Topic<String, V> topic,
            Function<V, String> keyOf,
            Duration timeout) {
        this.kafka = Map.copyOf(kafka);
        this.topic = topic;
        this.keyOf = keyOf;
        this.timeout = timeout;
    }

    public String name() {
        return topic.name();
    }

    /** Every record as the topic says now (latest version per key), by key. */
    public Map<String, V> readAll() {
        Properties props = new Properties();
        props.putAll(only(ConsumerConfig.configNames()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new TreeMap<>(new CompactedTopicReader(props, timeout).read(topic, read -> {}));
    }

    /** The latest version under {@code key}; empty when there is none (or it was deleted). */
    public Optional<V> find(String key) {
        return Optional.ofNullable(readAll().get(key));
    }

    /** Writes {@code value} and waits for the broker's acknowledgement (acks=all). */
    public void write(V value) {
        send(keyOf.apply(value), value);
    }

    /** Deletes what is under {@code key} (a tombstone) and waits for the acknowledgement. */
    public void delete(String key) {
        send(key, null);
    }

    private void send(String key, V value) {
        try {
            producer()
                    .send(new ProducerRecord<>(topic.name(), key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing to " + topic.name(), e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot write to " + topic.name() + ": " + e.getMessage(), e);
        }
    }

    private synchronized KafkaProducer<String, V> producer() {
        if (producer == null) {
            Map<String, Object> props = only(ProducerConfig.configNames());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
            producer =
                    new KafkaProducer<>(
                            props, topic.keySerde().serializer(), topic.valueSerde().serializer());
        }
        return producer;
    }

    private Map<String, Object> only(java.util.Set<String> names) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach(
                (k, v) -> {
                    if (names.contains(k)) {
                        props.put(k, v);
                    }
                });
        return props;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
    }
}
