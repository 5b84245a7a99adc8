package io.streammeter.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import kafka.server.BrokerServer;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A KRaft cluster in this JVM, on ephemeral loopback ports with its data in a temporary directory:
 * Kafka's own broker code, started through its internal test kit. One node by default; {@link
 * #start(int)} starts several brokers (the first also the controller) whose internal topics are
 * replicated three ways with two in sync, so a broker can be stopped and restarted under load. The
 * kit's API moves between Kafka releases, so this class is the only place that names it.
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
        return start(1);
    }

    /**
     * Formats and starts a cluster of {@code brokers} brokers and one controller (combined with the
     * first broker); returns once every broker accepts clients.
     */
    public static EmbeddedKafka start(int brokers) {
        return start(brokers, Map.of());
    }

    /**
     * Like {@link #start(int)}, with extra broker settings laid over the defaults: extra listeners
     * (secured ones, for instance), an authorizer, super users. The kit's own listeners are named
     * {@code EXTERNAL} (plaintext, what {@link #bootstrapServers()} returns) and {@code
     * CONTROLLER}; to add a listener, set {@code listeners} to {@code
     * EXTERNAL://localhost:0,CONTROLLER://localhost:0,YOURS://localhost:0} and map it in {@code
     * listener.security.protocol.map}, then reach it with {@link #bootstrapServers(String)}.
     */
    public static EmbeddedKafka start(int brokers, Map<String, ?> extra) {
        if (brokers < 1) {
            throw new IllegalArgumentException("at least one broker: " + brokers);
        }
        try {
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(brokers)
                            .setNumControllerNodes(1)
                            .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            settings(brokers).forEach(builder::setConfigProp);
            extra.forEach(builder::setConfigProp);
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

    /** Broker settings for a cluster of this size: replicated internal topics from three on. */
    static Map<String, Object> settings(int brokers) {
        Map<String, Object> settings = new HashMap<>(SMALL_NODE);
        if (brokers >= 3) {
            settings.put("offsets.topic.replication.factor", (short) 3);
            settings.put("transaction.state.log.replication.factor", (short) 3);
            settings.put("transaction.state.log.min.isr", 2);
            settings.put("default.replication.factor", 3);
            settings.put("min.insync.replicas", 2);
        } else if (brokers == 2) {
            settings.put("offsets.topic.replication.factor", (short) 2);
            settings.put("transaction.state.log.replication.factor", (short) 2);
        }
        return settings;
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Bootstrap servers of the named listener (one added with {@link #start(int, Map)}). */
    public String bootstrapServers(String listener) {
        ListenerName name = ListenerName.normalised(listener);
        StringJoiner servers = new StringJoiner(",");
        cluster.brokers().values().forEach(b -> servers.add("localhost:" + b.boundPort(name)));
        return servers.toString();
    }

    /** Ids of the cluster's brokers. */
    public Set<Integer> brokerIds() {
        return new TreeSet<>(cluster.brokers().keySet());
    }

    /** Stops one broker with a controlled shutdown (leaders move away first); data is kept. */
    public void stopBroker(int id) {
        BrokerServer broker = broker(id);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts a stopped broker again on its data; it catches up and rejoins the ISR on its own. */
    public void startBroker(int id) {
        broker(id).startup();
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = cluster.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + "; brokers: " + brokerIds());
        }
        return broker;
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
