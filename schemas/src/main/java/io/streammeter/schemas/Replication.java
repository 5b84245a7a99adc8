package io.streammeter.schemas;

import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How the catalog's topics are replicated in one environment: the replication factor they are
 * created with and the {@code min.insync.replicas} they carry. With producers on {@code acks=all},
 * a write is acknowledged once {@code minInsyncReplicas} brokers hold it, so it survives the loss
 * of one broker only when that is at least two.
 *
 * @param factor replicas of each partition (brokers)
 * @param minInsyncReplicas replicas that must hold a write before {@code acks=all} acknowledges it
 */
public record Replication(short factor, int minInsyncReplicas) {
    /** One broker: the local run and the tests' shared broker. Loses everything with its disk. */
    public static final Replication SINGLE_BROKER = new Replication((short) 1, 1);

    /** Three replicas, two in sync: one broker may fail without losing or refusing writes. */
    public static final Replication REPLICATED = new Replication((short) 3, 2);

    public Replication {
        if (factor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1: " + factor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
            throw new IllegalArgumentException(
                    "min.insync.replicas must be in 1.."
                            + factor
                            + " (the replication factor): "
                            + minInsyncReplicas);
        }
    }

    /**
     * What a cluster of {@code brokers} brokers supports best: {@link #REPLICATED} from three on;
     * below that every broker holds a replica and one in sync suffices, which can lose acknowledged
     * writes (see {@link #survivesBrokerLoss()}).
     */
    public static Replication forBrokers(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster has at least one broker: " + brokers);
        }
        return brokers >= 3 ? REPLICATED : new Replication((short) brokers, 1);
    }

    /** Whether a write acknowledged under {@code acks=all} survives the loss of any one broker. */
    public boolean survivesBrokerLoss() {
        return factor >= 2 && minInsyncReplicas >= 2;
    }

    /** Topic-level configs this replication sets on creation. */
    public Map<String, String> configs() {
        return Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    }
}
