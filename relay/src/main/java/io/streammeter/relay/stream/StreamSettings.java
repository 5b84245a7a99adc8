package io.streammeter.relay.stream;

import io.streammeter.prices.PriceTable;
import io.streammeter.relay.config.DisconnectPolicy;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.config.UpstreamEndpoint;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.metrics.UpstreamFailure;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.upstream.UpstreamClient;
import io.streammeter.relay.upstream.UpstreamHealth;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * What every stream of one route on one event loop shares: collaborators, the route's upstream, and
 * the settings read on the hot path, converted once.
 */
public record StreamSettings(
        Vertx vertx,
        ApiShapeAdapter adapter,
        UpstreamClient upstream,
        UpstreamHealth health,
        RelayMetrics metrics,
        ActiveStreams active,
        UpstreamEndpoint endpoint,
        DisconnectPolicy disconnectPolicy,
        long drainMillis,
        long idleTimeoutNanos,
        int maxEventBytes,
        boolean captureContent,
        Supplier<PriceTable> prices,
        int costHeaderMaxBodyBytes) {

    /**
     * The settings of {@code adapter}'s route; {@code upstream} is the client of that shape's
     * upstream ({@link RelayConfig#upstreamFor}), {@code health} what is known of that upstream,
     * {@code prices} the price table in force for the cost header.
     */
    public static StreamSettings of(
            Vertx vertx,
            RelayConfig config,
            ApiShapeAdapter adapter,
            UpstreamClient upstream,
            UpstreamHealth health,
            RelayMetrics metrics,
            ActiveStreams active,
            Supplier<PriceTable> prices) {
        return new StreamSettings(
                vertx,
                adapter,
                upstream,
                health,
                metrics,
                active,
                config.upstreamFor(adapter.shape()),
                config.disconnectPolicy(),
                config.drainTimeout().toMillis(),
                config.upstreamIdleTimeout().toNanos(),
                config.maxEventBytes(),
                config.captureContent(),
                prices,
                (int) config.costHeaderMaxBodyBytes());
    }

    /** The name of the route's upstream, as recorded in {@code StreamStarted}. */
    public String upstreamName() {
        return endpoint.name();
    }

    /** Counts an upstream failure in the metrics and in what readiness reports. */
    public void upstreamFailed(UpstreamFailure failure, String detail) {
        metrics.api(adapter.shape()).upstreamFailed(failure);
        health.failed(failure, detail);
    }
}
