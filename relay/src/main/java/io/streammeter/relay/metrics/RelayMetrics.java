package io.streammeter.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streammeter.avro.ApiShape;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The relay's meters, registered once per relay. Names are dotted lower case; every tag value comes
 * from a closed set (outcomes, directions, failure reasons), never from a request.
 */
public final class RelayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AtomicInteger active = new AtomicInteger();
    private final Map<ApiShape, Api> apis = new EnumMap<>(ApiShape.class);
    private final Counter bytesFromUpstream;
    private final Counter bytesToClient;
    private final Counter upstreamPauses;
    private final Counter publishRejected;
    private final Counter costHeaderOverCap;
    private final Timer timeToFirstChunk;
    private final Timer addedLatency;

    public RelayMetrics() {
        Gauge.builder("relay.streams.active", active, AtomicInteger::get)
                .description("Streams in flight")
                .register(registry);
        for (ApiShape shape : ApiShape.values()) {
            if (shape != ApiShape.UNKNOWN) { // a reader's fallback; the relay never serves it
                apis.put(shape, new Api(registry, shape));
            }
        }
        bytesFromUpstream = bytes("upstream");
        bytesToClient = bytes("client");
        upstreamPauses =
                Counter.builder("relay.upstream.pauses")
                        .description(
                                "Times a slow client made the relay pause reading the upstream")
                        .register(registry);
        publishRejected = publishFailures("closed");
        costHeaderOverCap =
                Counter.builder("relay.cost.header.skipped")
                        .description(
                                "Non-streamed 2xx responses sent without X-Streammeter-Cost-Usd,"
                                        + " by reason (over_cap: body larger than"
                                        + " cost-header.max-body-bytes)")
                        .tag("reason", "over_cap")
                        .register(registry);
        timeToFirstChunk =
                Timer.builder("relay.time.to.first.chunk")
                        .description("From request accepted to the first upstream body byte")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
        addedLatency =
                Timer.builder("relay.added.latency")
                        .description(
                                "Time the relay spends between the whole client request and handing"
                                        + " it to the upstream connection, and between upstream and client headers")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    private Counter bytes(String direction) {
        return Counter.builder("relay.bytes")
                .description("Body bytes read from the upstream and written to clients")
                .baseUnit("bytes")
                .tag("direction", direction)
                .register(registry);
    }

    private Counter publishFailures(String reason) {
        return Counter.builder("relay.publish.failures")
                .description("Events lost: published after the publisher closed")
                .tag("reason", reason)
                .register(registry);
    }

    /** Registers a counter; {@code tags} are name, value pairs from closed sets. */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** Registers a gauge whose value is read from {@code value} at scrape time. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A non-streamed body too large to hold went out without its cost header. */
    public void costHeaderSkippedOverCap() {
        costHeaderOverCap.increment();
    }

    public void streamStarted() {
        active.incrementAndGet();
    }

    /** The meters of one API shape: {@code relay.streams.ended}, chunks, 401s. */
    public Api api(ApiShape shape) {
        return apis.get(shape);
    }

    /**
     * Meters tagged {@code api} with the API shape (lower case): the routes have their own outcomes
     * and traffic.
     */
    public final class Api {
        private final Map<StreamOutcome, Counter> ended = new EnumMap<>(StreamOutcome.class);
        private final Map<UpstreamFailure, Counter> upstreamFailures =
                new EnumMap<>(UpstreamFailure.class);
        private final Counter unauthenticated;
        private final Counter chunks;

        private Api(PrometheusMeterRegistry registry, ApiShape shape) {
            String api = shape.name().toLowerCase(Locale.ROOT);
            for (StreamOutcome outcome : StreamOutcome.values()) {
                ended.put(
                        outcome,
                        Counter.builder("relay.streams.ended")
                                .description("Accepted requests by how they ended")
                                .tag("api", api)
                                .tag("outcome", outcome.tag())
                                .register(registry));
            }
            for (UpstreamFailure failure : UpstreamFailure.values()) {
                upstreamFailures.put(
                        failure,
                        Counter.builder("relay.upstream.failures")
                                .description(
                                        "Upstream failures by kind: unreachable, timeout and"
                                                + " truncated apart from the upstream's own error"
                                                + " statuses")
                                .tag("api", api)
                                .tag("kind", failure.tag())
                                .register(registry));
            }
            unauthenticated =
                    Counter.builder("relay.requests.unauthenticated")
                            .description(
                                    "Requests refused with 401 (no event is published for them)")
                            .tag("api", api)
                            .register(registry);
            chunks =
                    Counter.builder("relay.chunks")
                            .description("Data events metered")
                            .tag("api", api)
                            .register(registry);
        }

        public void streamEnded(StreamOutcome outcome, boolean wasActive) {
            if (wasActive) {
                active.decrementAndGet();
            }
            ended.get(outcome).increment();
        }

        public void upstreamFailed(UpstreamFailure failure) {
            upstreamFailures.get(failure).increment();
        }

        public void unauthenticated() {
            unauthenticated.increment();
        }

        public void chunk() {
            chunks.increment();
        }
    }

    /**
     * Counts a request forwarded unmetered; {@code family} is one of a closed set of path families
     * (never a raw path, whose ids would make unbounded series).
     */
    public void passedThrough(String family) {
        Counter.builder("relay.passthrough.requests")
                .description("Requests under /v1/ forwarded unmetered, by path family")
                .tag("family", family)
                .register(registry)
                .increment();
    }

    public void bytesFromUpstream(int bytes) {
        bytesFromUpstream.increment(bytes);
    }

    public void bytesToClient(int bytes) {
        bytesToClient.increment(bytes);
    }

    public void upstreamPaused() {
        upstreamPauses.increment();
    }

    /** An event published after close: the spool is closed, the event is lost. */
    public void publishRejected() {
        publishRejected.increment();
    }

    public void timeToFirstChunk(long nanos) {
        timeToFirstChunk.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void addedLatency(long nanos) {
        addedLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
