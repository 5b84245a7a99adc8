package io.streammeter.relay;

import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.http.ApiError;
import io.streammeter.relay.http.ChatCompletionsHandler;
import io.streammeter.relay.http.HealthHandler;
import io.streammeter.relay.http.MetricsHandler;
import io.streammeter.relay.http.ReadinessHandler;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.publish.KafkaReadiness;
import io.streammeter.relay.stream.ActiveStreams;
import io.streammeter.relay.stream.StreamIds;
import io.streammeter.relay.stream.StreamSettings;
import io.streammeter.relay.upstream.UpstreamClient;
import io.streammeter.relay.usage.OpenAiChatCompletions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One event loop's share of the relay: an HTTP server on the shared port, its own upstream client
 * and its own streams. The publisher, metrics and readiness check are shared by all instances.
 */
final class RelayVerticle extends VerticleBase {
    private final RelayConfig config;
    private final int port;
    private final EventPublisher publisher;
    private final RelayMetrics metrics;
    private final KafkaReadiness readiness;
    private final BooleanSupplier shuttingDown;

    private final StreamIds ids = new StreamIds();
    private HttpServer server;
    private UpstreamClient upstream;
    private ActiveStreams active;
    private long sweepTimer;
    private Handler<HttpServerRequest> chat;
    private Handler<HttpServerRequest> health;
    private Handler<HttpServerRequest> ready;
    private Handler<HttpServerRequest> prometheus;

    RelayVerticle(
            RelayConfig config,
            int port,
            EventPublisher publisher,
            RelayMetrics metrics,
            KafkaReadiness readiness,
            BooleanSupplier shuttingDown) {
        this.config = config;
        this.port = port;
        this.publisher = publisher;
        this.metrics = metrics;
        this.readiness = readiness;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public Future<?> start() {
        upstream = new UpstreamClient(vertx, config);
        active = new ActiveStreams(vertx);
        StreamSettings settings =
                StreamSettings.of(
                        vertx, config, new OpenAiChatCompletions(), upstream, metrics, active);
        chat =
                new ChatCompletionsHandler(
                        config, settings, publisher, Clock.systemUTC(), ids, shuttingDown);
        health = new HealthHandler();
        ready = new ReadinessHandler(vertx, readiness, config.upstreamName(), shuttingDown);
        prometheus = new MetricsHandler(vertx, metrics);
        long sweepMillis =
                Math.max(50, Math.min(1000, config.upstreamIdleTimeout().toMillis() / 10));
        sweepTimer = vertx.setPeriodic(sweepMillis, id -> active.sweep(System.nanoTime()));
        server =
                vertx.createHttpServer(
                        new HttpServerOptions()
                                .setHost(config.listenHost())
                                .setPort(port)
                                .setTcpNoDelay(true)
                                .setHandle100ContinueAutomatically(true)
                                // A client that stops reading pauses its stream without bound;
                                // a connection with nothing moving at all is closed, and its
                                // stream ends as a disconnect.
                                .setIdleTimeout(clientIdleSeconds())
                                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        return server.requestHandler(this::route).listen();
    }

    private int clientIdleSeconds() {
        return (int) Math.max(60, 2 * config.upstreamIdleTimeout().toSeconds());
    }

    private void route(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/v1/chat/completions" -> only(HttpMethod.POST, chat, request);
            case "/healthz" -> only(HttpMethod.GET, health, request);
            case "/readyz" -> only(HttpMethod.GET, ready, request);
            case "/metrics" -> only(HttpMethod.GET, prometheus, request);
            default ->
                    error(
                            request,
                            ApiError.of(
                                    ApiError.Kind.NOT_FOUND,
                                    "Unknown request URL: " + request.method() + " " + path + "."));
        }
    }

    private void only(
            HttpMethod method, Handler<HttpServerRequest> handler, HttpServerRequest request) {
        if (request.method().equals(method)) {
            handler.handle(request);
        } else {
            error(
                    request,
                    ApiError.of(
                            ApiError.Kind.METHOD_NOT_ALLOWED,
                            "Method "
                                    + request.method()
                                    + " is not allowed on "
                                    + request.path()
                                    + "."));
        }
    }

    private void error(HttpServerRequest request, ApiError error) {
        if (request.path().startsWith("/v1/")) {
            request.response().putHeader("X-Stream-Id", ids.next()); // every API response has one
        }
        request.response()
                .setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(error.json());
    }

    int actualPort() {
        return server.actualPort();
    }

    /**
     * Stops accepting connections, lets streams run for {@code grace}, then ends the rest as relay
     * shutdown. Completes when no stream is left on this event loop.
     */
    Future<Void> drain(Duration grace) {
        Promise<Void> drained = Promise.promise();
        context.runOnContext(
                v -> {
                    server.shutdown(grace.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                    long deadline =
                            vertx.setTimer(
                                    Math.max(1, grace.toMillis()), id -> active.shutdownAll());
                    active.whenEmpty(
                            () -> {
                                vertx.cancelTimer(deadline);
                                drained.complete();
                            });
                });
        return drained.future();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweepTimer);
        active.shutdownAll();
        return upstream.close();
    }
}
