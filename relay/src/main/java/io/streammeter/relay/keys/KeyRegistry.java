package io.streammeter.relay.keys;

import io.streammeter.avro.PlatformKey;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's copy of the platform key registry: one consumer thread reads the compacted {@code
 * <prefix>keys} topic from the beginning, without a consumer group (every relay reads every
 * partition), into a map by key id that request handlers read without locking. Polls at most
 * {@value #POLL_MILLIS} ms apart, so a revocation reaches every relay well within two seconds.
 * {@link #start} returns once the registry has read up to the end offsets it found, so a relay
 * never refuses a key that existed before it started.
 */
public final class KeyRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRegistry.class);
    private static final long POLL_MILLIS = 100;

    private final Map<String, PlatformKey> keys = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, PlatformKey> consumer;
    private final Topic<String, PlatformKey> topic;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closing;
    private volatile RuntimeException failure;

    private KeyRegistry(Map<String, Object> kafka, Topic<String, PlatformKey> topic) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) POLL_MILLIS);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        settings,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer());
        this.topic = topic;
        this.thread = new Thread(this::run, "relay-key-registry");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following {@code topic}; returns once everything present at start is read.
     *
     * @param kafka consumer settings: bootstrap servers and security, nothing else required
     * @throws IllegalStateException when the topic is missing or not read within {@code timeout}
     */
    public static KeyRegistry start(
            Map<String, Object> kafka, Topic<String, PlatformKey> topic, Duration timeout) {
        KeyRegistry registry = new KeyRegistry(kafka, topic);
        registry.thread.start();
        try {
            boolean done = registry.caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (registry.failure != null) {
                throw registry.failure;
            }
            if (!done) {
                throw new IllegalStateException(
                        "auth.mode=platform: cannot read the key registry "
                                + topic.name()
                                + " within "
                                + timeout);
            }
            return registry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            registry.close();
            throw new IllegalStateException("interrupted while reading " + topic.name(), e);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** The key with this key id, active or revoked; null when there is none. */
    public PlatformKey find(String keyId) {
        return keys.get(keyId);
    }

    /** How many keys (active or revoked) the registry holds. */
    public int size() {
        return keys.size();
    }

    private void run() {
        try {
            List<PartitionInfo> infos =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                failure =
                        new IllegalStateException(
                                "auth.mode=platform: the key registry topic "
                                        + topic.name()
                                        + " does not exist (streammeter topics creates it)");
                caughtUp.countDown();
                return;
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!closing) {
                for (ConsumerRecord<String, PlatformKey> record :
                        consumer.poll(Duration.ofMillis(POLL_MILLIS))) {
                    if (record.value() == null) {
                        keys.remove(record.key());
                    } else {
                        keys.put(record.key(), record.value());
                    }
                }
                if (caughtUp.getCount() > 0 && reached(end)) {
                    LOG.info("Key registry {} read: {} keys", topic.name(), keys.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closing) {
                // Fail closed: a registry that no longer follows revocations admits nobody.
                LOG.error(
                        "Key registry {} stopped following the topic: every key is refused now",
                        topic.name(),
                        e);
                keys.clear();
                failure = e;
                caughtUp.countDown();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
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
}
