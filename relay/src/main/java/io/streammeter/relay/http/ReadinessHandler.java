package io.streammeter.relay.http;

import io.streammeter.relay.publish.KafkaReadiness;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: 200 when Kafka is reachable (the events topic can be described, from a
 * cached check) and an upstream is configured; 503 while shutting down or when Kafka is not.
 */
public final class ReadinessHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final KafkaReadiness kafka;
    private final String upstreamName;
    private final String anthropicName;
    private final BooleanSupplier shuttingDown;

    public ReadinessHandler(
            Vertx vertx,
            KafkaReadiness kafka,
            String upstreamName,
            String anthropicName,
            BooleanSupplier shuttingDown) {
        this.vertx = vertx;
        this.kafka = kafka;
        this.upstreamName = upstreamName;
        this.anthropicName = anthropicName;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (shuttingDown.getAsBoolean()) {
            Responses.json(request.response(), 503, "{\"status\":\"shutting_down\"}");
            return;
        }
        Context context = vertx.getOrCreateContext();
        kafka.check()
                .onComplete(
                        ready ->
                                context.runOnContext(
                                        v -> {
                                            boolean ok = ready.succeeded() && ready.result();
                                            String body =
                                                    "{\"status\":\""
                                                            + (ok ? "ready" : "not_ready")
                                                            + "\",\"kafka\":\""
                                                            + kafka.reason()
                                                            + "\",\"upstream\":\""
                                                            + upstreamName
                                                            + "\",\"anthropic\":\""
                                                            + anthropicName
                                                            + "\"}";
                                            Responses.json(
                                                    request.response(), ok ? 200 : 503, body);
                                        }));
    }
}
