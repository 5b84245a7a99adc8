package io.streammeter.relay.http;

import io.streammeter.relay.publish.KafkaReadiness;
import io.streammeter.relay.upstream.UpstreamHealth;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: 200 when Kafka is reachable (the events topic can be described, from a
 * cached check); 503 while shutting down or when Kafka is not. Each upstream's state is reported: a
 * failing upstream makes the status {@code degraded}, with the reason, but keeps the relay in
 * rotation (another relay would reach the same upstream no better) unless {@code upstreamRequired}.
 */
public final class ReadinessHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final KafkaReadiness kafka;
    private final List<UpstreamHealth> upstreams;
    private final boolean upstreamRequired;
    private final BooleanSupplier shuttingDown;

    public ReadinessHandler(
            Vertx vertx,
            KafkaReadiness kafka,
            List<UpstreamHealth> upstreams,
            boolean upstreamRequired,
            BooleanSupplier shuttingDown) {
        this.vertx = vertx;
        this.kafka = kafka;
        this.upstreams = List.copyOf(upstreams);
        this.upstreamRequired = upstreamRequired;
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
                                        v -> answer(request, ready.succeeded() && ready.result())));
    }

    private void answer(HttpServerRequest request, boolean kafkaReady) {
        JsonObject states = new JsonObject();
        boolean degraded = false;
        for (UpstreamHealth upstream : upstreams) {
            UpstreamHealth.State state = upstream.state();
            degraded |= state.degraded();
            JsonObject entry = new JsonObject().put("state", state.degraded() ? "degraded" : "ok");
            if (state.reason() != null) {
                entry.put("reason", state.reason());
            }
            states.put(upstream.name(), entry);
        }
        boolean ready = kafkaReady && !(degraded && upstreamRequired);
        String status = !ready ? "not_ready" : degraded ? "degraded" : "ready";
        JsonObject body =
                new JsonObject()
                        .put("status", status)
                        .put("kafka", kafka.reason())
                        .put("upstreams", states);
        Responses.json(request.response(), ready ? 200 : 503, body.encode());
    }
}
