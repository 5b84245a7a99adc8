package io.streammeter.kafka;

import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Judges how the billed topics of an existing cluster are replicated. Producers write with {@code
 * acks=all}, so a write is acknowledged once {@code min.insync.replicas} replicas hold it: on a
 * cluster of several brokers a billed topic with fewer than two replicas, or fewer than two in
 * sync, can lose an acknowledged write when one broker fails, and is refused. A single-broker
 * cluster cannot do better; it is allowed, with a note that says what it risks.
 */
public final class ReplicationCheck {
    private final Admin admin;
    private final Duration timeout;

    public ReplicationCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * What the check found.
     *
     * @param brokers brokers in the cluster
     * @param notes facts worth printing that do not stop the run
     * @param refusals one line per billed topic that could lose acknowledged writes
     */
    public record Report(int brokers, List<String> notes, List<String> refusals) {
        public boolean acceptable() {
            return refusals.isEmpty();
        }
    }

    /** Brokers the cluster has now. */
    public int brokers() {
        return get(admin.describeCluster().nodes()).size();
    }

    /** Checks every billed topic of {@code catalog}; the topics must exist. */
    public Report check(TopicCatalog catalog) {
        int brokers = brokers();
        List<String> notes = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Topic<?, ?> topic : catalog.billed()) {
            TopicDescription description =
                    get(admin.describeTopics(List.of(topic.name())).allTopicNames())
                            .get(topic.name());
            int factor =
                    description.partitions().stream()
                            .mapToInt(p -> p.replicas().size())
                            .min()
                            .orElse(0);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            int minInsync =
                    Integer.parseInt(
                            get(admin.describeConfigs(List.of(resource)).all())
                                    .get(resource)
                                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                                    .value());
            String found =
                    String.format(
                            "%s has replication factor %d and min.insync.replicas=%d",
                            topic.name(), factor, minInsync);
            if (minInsync > factor) {
                refusals.add(found + ": it can accept no write with acks=all");
            } else if (brokers > 1 && (factor < 2 || minInsync < 2)) {
                refusals.add(
                        found
                                + " on a "
                                + brokers
                                + "-broker cluster: a write acknowledged with acks=all can be"
                                + " lost when one broker fails; it needs replication factor 3"
                                + " (at least 2) and min.insync.replicas=2");
            } else if (factor >= 2 && minInsync == factor) {
                notes.add(found + ": writes stop while any one of its brokers is down");
            }
        }
        if (brokers == 1) {
            notes.add(
                    "single-broker cluster: billed topics have one replica, allowed for the local"
                            + " run only; acknowledged writes are lost with this broker's disk");
        }
        return new Report(brokers, List.copyOf(notes), List.copyOf(refusals));
    }

    private <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a Kafka admin call", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout, e);
        }
    }
}
