package io.streammeter.kafka;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft broker in this JVM, on ephemeral loopback ports with its data in a temporary
 * directory: Kafka's own broker code, started through its internal test kit. The kit's API moves
 * between Kafka releases, so this class is the only place that names it.
 */
public final class EmbeddedKafka implements KafkaBroker {
    /** Settings that keep a one-node broker quick on a small machine. */
    static final Map<String, Object> SMALL_NODE =
            Map.of(
                    "group.initial.rebalance.delay.ms", 0,
                    "group.streams.initial.rebalance.delay.ms", 0,
                    "offsets.topic.num.partitions", 1,
                    "offsets.topic.replication.factor", (short) 1,
                    "transaction.state.log.replication.factor", (short) 1,
                    "transaction.state.log.min.isr", 1,
                    "transaction.state.log.num.partitions", 1,
                    "log.cleaner.dedupe.buffer.size", 16 * 1024 * 1024L,
                    "auto.create.topics.enable", false,
                    "num.partitions", 1);

    private final KafkaClusterTestKit cluster;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats and starts a broker; returns once it accepts clients. */
    public static EmbeddedKafka start() {
        try {
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            SMALL_NODE.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the embedded Kafka broker", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return; // the kit throws on a second close
        }
        closed = true;
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the embedded broker cleanly", e);
        }
    }
}
