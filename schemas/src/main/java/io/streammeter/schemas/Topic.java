package io.streammeter.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the catalog: its full name, serdes, and the layout the provisioner enforces.
 *
 * @param name full topic name, prefix included
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 * @param partitions partition count
 * @param cleanup {@code delete} or {@code compact}
 * @param retention how long records are kept under {@code delete}; null for compacted topics
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        int partitions,
        Cleanup cleanup,
        Duration retention) {

    /** The topic's cleanup policy. */
    public enum Cleanup {
        DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
        COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

        private final String config;

        Cleanup(String config) {
            this.config = config;
        }

        /** The value of {@code cleanup.policy}. */
        public String config() {
            return config;
        }
    }

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(cleanup, "cleanup");
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1");
        }
        if ((cleanup == Cleanup.DELETE) != (retention != null)) {
            throw new IllegalArgumentException(
                    name + ": retention is required for delete topics and meaningless otherwise");
        }
    }

    /** Topic-level configs the provisioner sets on creation. */
    public Map<String, String> configs() {
        return retention == null
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.config())
                : Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        cleanup.config(),
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(retention.toMillis()));
    }
}
