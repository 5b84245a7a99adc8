package io.streammeter.relay.http;

import static io.streammeter.relay.shape.ErrorFormat.OPENAI;

import io.streammeter.config.TokenFile;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.shape.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics}: Prometheus text, rendered on a worker thread. With {@code
 * metrics.auth=token} (the default) the scraper must present {@code Authorization: Bearer <token>};
 * anything else gets an OpenAI-style 401 and no metrics.
 */
public final class MetricsHandler implements Handler<HttpServerRequest> {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Vertx vertx;
    private final RelayMetrics metrics;
    private final TokenFile token;

    /**
     * @param token the bearer token scrapers present; null leaves /metrics open ({@code
     *     metrics.auth=none})
     */
    public MetricsHandler(Vertx vertx, RelayMetrics metrics, TokenFile token) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.token = token;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (token != null) {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization == null) {
                refuse(request, ApiError.Kind.UNAUTHENTICATED, "/metrics needs a bearer token.");
                return;
            }
            if (!token.matchesBearer(authorization)) {
                refuse(request, ApiError.Kind.INVALID_API_KEY, "Invalid /metrics bearer token.");
                return;
            }
        }
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

    private static void refuse(HttpServerRequest request, ApiError.Kind kind, String message) {
        request.response().putHeader("WWW-Authenticate", "Bearer");
        Responses.error(request.response(), ApiError.of(kind, message), OPENAI);
    }
}
