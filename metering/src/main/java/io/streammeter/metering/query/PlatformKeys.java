package io.streammeter.metering.query;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import io.streammeter.metering.keys.KeyRecords;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which platform keys may read their own spend: a thread follows the compacted {@code <prefix>keys}
 * topic (no consumer group) into the set of active key ids, and a presented bearer token is mapped
 * to its key id with the relays' pepper: the same HMAC-SHA256 as the relay's {@code KeyIds} (an
 * infra/local test holds the two equal), since metering never depends on the relay.
 */
public final class PlatformKeys implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformKeys.class);

    private final String pepper;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final KafkaConsumer<String, PlatformKey> consumer;
    private final Topic<String, PlatformKey> topic;
    private final Thread thread;
    private volatile boolean closing;

    /** Starts following {@code topic}; keys become usable as they are read. */
    public PlatformKeys(
            String pepper, Map<String, Object> kafka, Topic<String, PlatformKey> topic) {
        this.pepper = pepper;
        this.topic = topic;
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        this.consumer =
                new KafkaConsumer<>(
                        settings,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer());
        this.thread = new Thread(this::run, "metering-platform-keys");
        thread.setDaemon(true);
        thread.start();
    }

    /** The key id of {@code bearer} when it is an active platform key; else null. */
    public String activeKeyId(String bearer) {
        String keyId = keyId(pepper, bearer);
        return active.contains(keyId) ? keyId : null;
    }

    /**
     * The relay's key id: {@code k_} + base32 of the first 15 bytes of HMAC-SHA256(pepper, key).
     */
    public static String keyId(String pepper, String rawKey) {
        return KeyRecords.keyId(pepper, rawKey);
    }

    private void run() {
        try {
            List<PartitionInfo> infos =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                LOG.error("{} does not exist: platform keys cannot read spend", topic.name());
                return;
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closing) {
                for (ConsumerRecord<String, PlatformKey> r :
                        consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() != null && r.value().getStatus() == KeyStatus.ACTIVE) {
                        active.add(r.key());
                    } else {
                        active.remove(r.key());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Stopped following {}: platform keys are refused", topic.name(), e);
            active.clear();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Consumer settings from metering's Kafka settings: bootstrap servers and security. */
    public static Map<String, Object> consumerSettings(
            String bootstrapServers, Map<String, String> kafka) {
        Map<String, Object> settings = new HashMap<>();
        Set<String> names = ConsumerConfig.configNames();
        kafka.forEach(
                (k, v) -> {
                    if (k.startsWith("config.providers")
                            || names.contains(k)
                                    && (k.startsWith("security.")
                                            || k.startsWith("sasl.")
                                            || k.startsWith("ssl."))) {
                        settings.put(k, v);
                    }
                });
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "streammeter-metering-keys");
        return settings;
    }
}
