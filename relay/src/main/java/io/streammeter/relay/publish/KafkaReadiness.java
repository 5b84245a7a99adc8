package io.streammeter.relay.publish;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;

/**
 * Whether the relay can publish: the cluster answers and the events topic exists. Answers come from
 * a cache refreshed at most once per {@code maxAge}; the check itself is Kafka's asynchronous admin
 * API, so no thread ever blocks on it.
 */
public final class KafkaReadiness implements AutoCloseable {
    private final Admin admin;
    private final String topic;
    private final long maxAgeNanos;
    private volatile long checkedAt;
    private volatile boolean ready;
    private volatile String reason = "not checked yet";
    private volatile Future<Boolean> inFlight;

    public KafkaReadiness(Map<String, Object> adminSettings, String topic, Duration maxAge) {
        this.admin = Admin.create(adminSettings);
        this.topic = topic;
        this.maxAgeNanos = maxAge.toNanos();
        this.checkedAt = System.nanoTime() - maxAgeNanos - 1;
    }

    /** Whether Kafka was reachable at the last check, checking again when that is stale. */
    public synchronized Future<Boolean> check() {
        if (System.nanoTime() - checkedAt <= maxAgeNanos) {
            return Future.succeededFuture(ready);
        }
        if (inFlight != null) {
            return inFlight;
        }
        Promise<Boolean> promise = Promise.promise();
        inFlight = promise.future();
        admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(3_000))
                .allTopicNames()
                .whenComplete((topics, error) -> done(promise, error));
        return inFlight;
    }

    private synchronized void done(Promise<Boolean> promise, Throwable error) {
        ready = error == null;
        reason = error == null ? "ok" : error.getClass().getSimpleName();
        checkedAt = System.nanoTime();
        inFlight = null;
        promise.complete(ready);
    }

    /** Why the last check failed ("ok" when it passed). */
    public String reason() {
        return reason;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
