package io.streammeter.relay.stream;

import io.streammeter.relay.config.DisconnectPolicy;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.upstream.UpstreamClient;
import io.streammeter.relay.usage.ApiShapeAdapter;
import io.vertx.core.Vertx;

/**
 * What every stream of one route on one event loop shares: collaborators and the settings read on
 * the hot path, converted once.
 */
public record StreamSettings(
        Vertx vertx,
        ApiShapeAdapter adapter,
        UpstreamClient upstream,
        RelayMetrics metrics,
        ActiveStreams active,
        String upstreamName,
        DisconnectPolicy disconnectPolicy,
        long drainMillis,
        long idleTimeoutNanos,
        int maxEventBytes,
        boolean captureContent) {

    public static StreamSettings of(
            Vertx vertx,
            RelayConfig config,
            ApiShapeAdapter adapter,
            UpstreamClient upstream,
            RelayMetrics metrics,
            ActiveStreams active) {
        return new StreamSettings(
                vertx,
                adapter,
                upstream,
                metrics,
                active,
                config.upstreamName(),
                config.disconnectPolicy(),
                config.drainTimeout().toMillis(),
                config.upstreamIdleTimeout().toNanos(),
                config.maxEventBytes(),
                config.captureContent());
    }
}
