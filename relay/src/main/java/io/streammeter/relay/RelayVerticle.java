package io.streammeter.relay;

import static io.streammeter.relay.shape.ErrorFormat.ANTHROPIC;
import static io.streammeter.relay.shape.ErrorFormat.OPENAI;

import io.streammeter.config.TokenFile;
import io.streammeter.prices.PriceTable;
import io.streammeter.relay.config.OtherRoutes;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.http.ApiHandler;
import io.streammeter.relay.http.HealthHandler;
import io.streammeter.relay.http.MetricsHandler;
import io.streammeter.relay.http.PassThroughHandler;
import io.streammeter.relay.http.ReadinessHandler;
import io.streammeter.relay.keys.Admission;
import io.streammeter.relay.keys.BudgetClient;
import io.streammeter.relay.keys.BudgetGate;
import io.streammeter.relay.keys.RateLimits;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.publish.KafkaReadiness;
import io.streammeter.relay.shape.ApiError;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ErrorFormat;
import io.streammeter.relay.shape.anthropic.AnthropicMessages;
import io.streammeter.relay.shape.completions.OpenAiCompletions;
import io.streammeter.relay.shape.embeddings.OpenAiEmbeddings;
import io.streammeter.relay.shape.openai.OpenAiChatCompletions;
import io.streammeter.relay.shape.responses.OpenAiResponses;
import io.streammeter.relay.stream.ActiveStreams;
import io.streammeter.relay.stream.StreamIds;
import io.streammeter.relay.stream.StreamSettings;
import io.streammeter.relay.upstream.UpstreamClient;
import io.streammeter.relay.upstream.UpstreamHealth;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One event loop's share of the relay: an HTTP server on the shared port, its own upstream clients
 * (one per API shape) and its own streams. The publisher, metrics and readiness check are shared by
 * all instances.
 */
final class RelayVerticle extends VerticleBase {
    private final RelayConfig config;
    private final int port;
    private final EventPublisher publisher;
    private final RelayMetrics metrics;
    private final KafkaReadiness readiness;
    private final UpstreamHealth openAiHealth;
    private final UpstreamHealth anthropicHealth;
    private final BooleanSupplier shuttingDown;
    private final Admission admission;
    private final RateLimits rates;
    private final String budgetToken;
    private BudgetGate gate;
    private BudgetClient budgetClient;
    private final Supplier<PriceTable> prices;

    private final StreamIds ids = new StreamIds();
    private HttpServer server;
    private UpstreamClient openAiUpstream;
    private UpstreamClient anthropicUpstream;
    private ActiveStreams active;
    private long sweepTimer;
    private Handler<HttpServerRequest> chat;
    private Handler<HttpServerRequest> messages;
    private Handler<HttpServerRequest> responses;
    private Handler<HttpServerRequest> embeddings;
    private Handler<HttpServerRequest> completions;
    private Handler<HttpServerRequest> passThrough;
    private Handler<HttpServerRequest> health;
    private Handler<HttpServerRequest> ready;
    private Handler<HttpServerRequest> prometheus;
    private final TokenFile metricsToken;

    RelayVerticle(
            RelayConfig config,
            int port,
            EventPublisher publisher,
            RelayMetrics metrics,
            KafkaReadiness readiness,
            UpstreamHealth openAiHealth,
            UpstreamHealth anthropicHealth,
            BooleanSupplier shuttingDown,
            Admission admission,
            TokenFile metricsToken,
            Supplier<PriceTable> prices,
            RateLimits rates,
            String budgetToken) {
        this.rates = rates;
        this.budgetToken = budgetToken;
        this.admission = admission;
        this.metricsToken = metricsToken;
        this.prices = prices;
        this.config = config;
        this.port = port;
        this.publisher = publisher;
        this.metrics = metrics;
        this.readiness = readiness;
        this.openAiHealth = openAiHealth;
        this.anthropicHealth = anthropicHealth;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public Future<?> start() {
        active = new ActiveStreams(vertx);
        openAiUpstream = new UpstreamClient(vertx, config, config.upstreamBaseUrl());
        anthropicUpstream = new UpstreamClient(vertx, config, config.anthropicBaseUrl());
        if (admission != null) {
            budgetClient =
                    config.budgetUrl() == null
                            ? null
                            : new BudgetClient(
                                    vertx, config.budgetUrl(), budgetToken, config.budgetTimeout());
            gate =
                    new BudgetGate(
                            rates,
                            budgetClient,
                            config.budgetWhenUnreachable(),
                            config.budgetMaxOutputTokens(),
                            Clock.systemUTC());
        }
        chat = handler(new OpenAiChatCompletions(), openAiUpstream, openAiHealth);
        messages = handler(new AnthropicMessages(), anthropicUpstream, anthropicHealth);
        responses = handler(new OpenAiResponses(), openAiUpstream, openAiHealth);
        embeddings = handler(new OpenAiEmbeddings(), openAiUpstream, openAiHealth);
        completions = handler(new OpenAiCompletions(), openAiUpstream, openAiHealth);
        passThrough = new PassThroughHandler(config, openAiUpstream, metrics);
        health = new HealthHandler();
        ready =
                new ReadinessHandler(
                        vertx,
                        readiness,
                        publisher,
                        List.of(openAiHealth, anthropicHealth),
                        config.readinessRequiresUpstream(),
                        shuttingDown);
        prometheus = new MetricsHandler(vertx, metrics, metricsToken);
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

    private ApiHandler handler(
            ApiShapeAdapter adapter, UpstreamClient upstream, UpstreamHealth health) {
        StreamSettings settings =
                StreamSettings.of(
                        vertx, config, adapter, upstream, health, metrics, active, prices);
        return new ApiHandler(
                config, settings, publisher, Clock.systemUTC(), ids, shuttingDown, admission, gate);
    }

    private int clientIdleSeconds() {
        return (int) Math.max(60, 2 * config.upstreamIdleTimeout().toSeconds());
    }

    private void route(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/v1/chat/completions" -> only(HttpMethod.POST, chat, request, OPENAI);
            case "/v1/messages" -> only(HttpMethod.POST, messages, request, ANTHROPIC);
            case "/v1/responses" -> only(HttpMethod.POST, responses, request, OPENAI);
            case "/v1/embeddings" -> only(HttpMethod.POST, embeddings, request, OPENAI);
            case "/v1/completions" -> only(HttpMethod.POST, completions, request, OPENAI);
            case "/healthz" -> only(HttpMethod.GET, health, request, OPENAI);
            case "/readyz" -> only(HttpMethod.GET, ready, request, OPENAI);
            case "/metrics" -> only(HttpMethod.GET, prometheus, request, OPENAI);
            default -> other(request, path);
        }
    }

    /**
     * Paths the relay does not meter. A stored response ({@code GET /v1/responses/{id}}, its
     * cancel, input items and delete) is always forwarded: it belongs to the Responses API, and its
     * usage was metered on the call that produced it. Anything else under {@code /v1/} as {@code
     * routes.other} says.
     */
    private void other(HttpServerRequest request, String path) {
        boolean pass =
                path.startsWith("/v1/responses/")
                        || (path.startsWith("/v1/") && config.otherRoutes() == OtherRoutes.PASS);
        if (pass) {
            passThrough.handle(request);
            return;
        }
        switch (path) {
            default ->
                    error(
                            request,
                            ApiError.of(
                                    ApiError.Kind.NOT_FOUND,
                                    "Unknown request URL: " + request.method() + " " + path + "."),
                            OPENAI);
        }
    }

    private void only(
            HttpMethod method,
            Handler<HttpServerRequest> handler,
            HttpServerRequest request,
            ErrorFormat format) {
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
                                    + "."),
                    format);
        }
    }

    private void error(HttpServerRequest request, ApiError error, ErrorFormat format) {
        if (request.path().startsWith("/v1/")) {
            request.response().putHeader("X-Stream-Id", ids.next()); // every API response has one
        }
        request.response()
                .setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(error.json(format));
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
        if (budgetClient != null) {
            budgetClient.close();
        }
        return Future.join(openAiUpstream.close(), anthropicUpstream.close());
    }
}
