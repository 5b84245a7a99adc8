package io.streammeter.kafka;

import io.streammeter.schemas.Replication;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalog's missing topics and checks the ones that exist. Idempotent: a second run
 * creates nothing. An existing topic whose partition count or cleanup policy contradicts the
 * catalog fails the run with one line naming the topic and the difference; retention is left as
 * operators tuned it. New topics get the catalog's replication factor and {@code
 * min.insync.replicas}; {@link ReplicationCheck} judges the replication of existing ones.
 */
public final class TopicProvisioner {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin) {
        this(admin, DEFAULT_TIMEOUT);
    }

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** What a run did: the topics it created and the ones that were already right. */
    public record Result(List<String> created, List<String> verified) {}

    /** Thrown when an existing topic contradicts the catalog. */
    public static final class TopicMismatchException extends RuntimeException {
        TopicMismatchException(String message) {
            super(message);
        }
    }

    public Result provision(TopicCatalog catalog) {
        Set<String> existing = call(() -> admin.listTopics().names());
        List<String> created = new ArrayList<>();
        for (Topic<?, ?> topic : catalog.all()) {
            if (!existing.contains(topic.name()) && create(topic, catalog.replication())) {
                created.add(topic.name());
            }
        }
        List<String> verified = new ArrayList<>();
        for (Topic<?, ?> topic : catalog.all()) {
            if (!created.contains(topic.name())) {
                verify(topic);
                verified.add(topic.name());
            }
        }
        return new Result(List.copyOf(created), List.copyOf(verified));
    }

    /** Fails with {@link TopicMismatchException} if the topic contradicts its declaration. */
    public void verify(Topic<?, ?> topic) {
        TopicDescription description =
                call(() -> admin.describeTopics(List.of(topic.name())).allTopicNames())
                        .get(topic.name());
        if (description.partitions().size() != topic.partitions()) {
            throw new TopicMismatchException(
                    String.format(
                            "Topic %s has %d partitions, the catalog declares %d",
                            topic.name(), description.partitions().size(), topic.partitions()));
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        Config config = call(() -> admin.describeConfigs(List.of(resource)).all()).get(resource);
        String cleanup = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!cleanup.equals(topic.cleanup().config())) {
            throw new TopicMismatchException(
                    String.format(
                            "Topic %s has cleanup.policy=%s, the catalog declares %s",
                            topic.name(), cleanup, topic.cleanup().config()));
        }
    }

    private boolean create(Topic<?, ?> topic, Replication replication) {
        Map<String, String> configs = new HashMap<>(topic.configs());
        configs.putAll(replication.configs());
        NewTopic newTopic =
                new NewTopic(
                                topic.name(),
                                Optional.of(topic.partitions()),
                                Optional.of(replication.factor()))
                        .configs(configs);
        try {
            admin.createTopics(List.of(newTopic))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false; // another process created it meanwhile: verify it like any other
            }
            throw new IllegalStateException(
                    "Cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + topic.name(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not create " + topic.name() + " within " + timeout, e);
        }
    }

    private <T> T call(Supplier<KafkaFuture<T>> request) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return request.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // A topic created a moment ago may not be in every broker's metadata yet.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka admin call failed: " + e.getCause(), e);
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during a Kafka admin call", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "Kafka did not answer within " + timeout + " (is the broker reachable?)",
                        e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a Kafka admin call", e);
        }
    }
}
