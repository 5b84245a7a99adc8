package io.streammeter.metering.keys;

import io.streammeter.avro.PlatformKey;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads and writes the compacted {@code <prefix>keys} topic. Writes use an idempotent producer with
 * {@code acks=all} and return only once the broker acknowledged. Reads consume the whole topic
 * (latest version per key id) with a consumer of their own, no group. Blocking: call it off event
 * loops.
 */
public final class KeyTopic implements AutoCloseable {
    private final Map<String, Object> kafka;
    private final Topic<String, PlatformKey> topic;
    private final Duration timeout;
    private KafkaProducer<String, PlatformKey> producer;

    /**
     * @param kafka client settings (bootstrap servers, security); consumer and producer settings
     *     are taken from it
     */
    public KeyTopic(Map<String, ?> kafka, Topic<String, PlatformKey> topic, Duration timeout) {
        this.kafka = Map.copyOf(kafka);
        this.topic = topic;
        this.timeout = timeout;
    }

    public String name() {
        return topic.name();
    }

    /** Every key as the topic says now (latest version per key id), by key id. */
    public Map<String, PlatformKey> readAll() {
        Map<String, Object> props = only(ConsumerConfig.configNames());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (var consumer =
                new KafkaConsumer<>(
                        props,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic "
                                + topic.name()
                                + " does not exist (streammeter topics creates it)");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            Map<String, PlatformKey> keys = new TreeMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!end.isEmpty()) {
                for (ConsumerRecord<String, PlatformKey> r :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        keys.remove(r.key());
                    } else {
                        keys.put(r.key(), r.value());
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "reading " + topic.name() + " took longer than " + timeout);
                }
            }
            return keys;
        }
    }

    /** The key's latest version; empty when there is none (or it was deleted). */
    public Optional<PlatformKey> find(String keyId) {
        return Optional.ofNullable(readAll().get(keyId));
    }

    /** Writes {@code key} and waits for the broker's acknowledgement (acks=all). */
    public void write(PlatformKey key) {
        try {
            producer()
                    .send(new ProducerRecord<>(topic.name(), key.getKeyId(), key))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing to " + topic.name(), e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot write to " + topic.name() + ": " + e.getMessage(), e);
        }
    }

    private synchronized KafkaProducer<String, PlatformKey> producer() {
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
