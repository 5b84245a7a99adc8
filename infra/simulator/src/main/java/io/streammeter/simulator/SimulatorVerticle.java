package io.streammeter.simulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** One HTTP server instance on one event loop; instances on the same port share its socket. */
final class SimulatorVerticle extends VerticleBase {

    private static final long BODY_LIMIT_BYTES = 32L * 1024 * 1024;

    private final String host;
    private final int port;
    private final SimulatorStats stats;
    private final SimulatorLedger ledger;
    private HttpServer server;

    SimulatorVerticle(String host, int port, SimulatorStats stats, SimulatorLedger ledger) {
        this.ledger = ledger;
        this.host = host;
        this.port = port;
        this.stats = stats;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
        for (Api api : Api.values()) {
            router.post(api.path())
                    .handler(body)
                    .handler(new CompletionHandler(api, stats, ledger));
        }
        router.get("/_sim/stats").handler(ctx -> ctx.json(stats.toJson()));
        router.get("/_sim/ledger")
                .handler(
                        ctx -> {
                            if (ledger == null) {
                                ctx.response()
                                        .setStatusCode(404)
                                        .end("the ledger is off (SimulatorMain --ledger)");
                            } else {
                                ctx.json(ledger.toJson());
                            }
                        });
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.route()
                .last()
                .handler(
                        ctx ->
                                ctx.response()
                                        .setStatusCode(404)
                                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                        .end(
                                                ErrorBody.openAi(
                                                        "invalid_request_error",
                                                        "No route "
                                                                + ctx.request().method()
                                                                + " "
                                                                + ctx.request().path(),
                                                        null,
                                                        "unknown_url")));
        server =
                vertx.createHttpServer(
                        new HttpServerOptions()
                                .setHost(host)
                                .setPort(port)
                                .setTcpNoDelay(true)
                                // HTTP/1.1 only, so truncation is a connection close as upstreams
                                // do it.
                                .setHttp2ClearTextEnabled(false));
        return server.requestHandler(router).listen();
    }

    /** The bound port, once started. */
    int actualPort() {
        return server.actualPort();
    }
}
