package io.streammeter.metering.keys;

import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads a compacted topic from the beginning to the end offsets it had when reading started, and
 * keeps the last value of every key (a null value deletes the key), which is what the topic means.
 * No consumer group: nothing is committed. Used by the export (names of keys) and by {@link
 * CompactedTopic} (the key registry, customer budgets).
 */
public final class CompactedTopicReader {
    private final Properties clientProps;
    private final Duration timeout;

    public CompactedTopicReader(Properties clientProps, Duration timeout) {
        this.clientProps = clientProps;
        this.timeout = timeout;
    }

    /**
     * @param progress told the number of records read so far, now and then
     */
    public <K, V> Map<K, V> read(Topic<K, V> topic, LongConsumer progress) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (var consumer =
                new KafkaConsumer<>(
                        props,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic.name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            Map<K, V> latest = new LinkedHashMap<>();
            long read = 0;
            Instant deadline = Instant.now().plus(timeout);
            while (!caughtUp(consumer, end)) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty() && Instant.now().isAfter(deadline)) {
                    throw new TimeoutException(
                            "Reading " + topic.name() + " made no progress within " + timeout);
                }
                for (ConsumerRecord<K, V> record : records) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
                if (!records.isEmpty()) {
                    read += records.count();
                    progress.accept(read);
                    deadline = Instant.now().plus(timeout);
                }
            }
            return latest;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(
                    "topic " + topic + " does not exist (streammeter topics creates it)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        return end.isEmpty();
    }
}
