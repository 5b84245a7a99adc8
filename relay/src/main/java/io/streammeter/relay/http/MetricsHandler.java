package io.streammeter.relay.http;

import io.streammeter.relay.metrics.RelayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** {@code GET /metrics}: Prometheus text, rendered on a worker thread. */
public final class MetricsHandler implements Handler<HttpServerRequest> {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Vertx vertx;
    private final RelayMetrics metrics;

    public MetricsHandler(Vertx vertx, RelayMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        vertx.executeBlocking(metrics::scrape, false)
                .onComplete(
                        text -> {
                            if (text.succeeded()) {
                                request.response()
                                        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                                        .end(text.result());
                            } else {
                                request.response().setStatusCode(500).end();
                            }
                        });
    }
}
