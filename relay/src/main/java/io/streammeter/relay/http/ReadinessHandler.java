package io.streammeter.relay.http;

import io.streammeter.relay.config.SpoolConfig;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.publish.KafkaReadiness;
import io.streammeter.relay.publish.SpoolStatus;
import io.streammeter.relay.upstream.UpstreamHealth;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: 200 while the relay can serve and bill requests, which it can while Kafka is
 * down as long as the spool has room; 503 while shutting down, while the spool is full under {@code
 * spool.full-policy=reject}, or while an upstream is degraded when {@code upstreamRequired}. The
 * body says whether Kafka answers (from a cached check), what the spool holds, and each upstream's
 * state: a failing upstream makes the status {@code degraded}, with the reason, but by default
 * keeps the relay in rotation (another relay would reach the same upstream no better).
 */
public final class ReadinessHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final KafkaReadiness kafka;
    private final EventPublisher publisher;
    private final List<UpstreamHealth> upstreams;
    private final boolean upstreamRequired;
    private final BooleanSupplier shuttingDown;

    public ReadinessHandler(
            Vertx vertx,
            KafkaReadiness kafka,
            EventPublisher publisher,
            List<UpstreamHealth> upstreams,
            boolean upstreamRequired,
            BooleanSupplier shuttingDown) {
        this.vertx = vertx;
        this.kafka = kafka;
        this.publisher = publisher;
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

    private void answer(HttpServerRequest request, boolean kafkaOk) {
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
        SpoolStatus spool = publisher.status();
        boolean refusing = spool.full() && publisher.fullPolicy() == SpoolConfig.FullPolicy.REJECT;
        boolean ready = !refusing && !(degraded && upstreamRequired);
        String status = !ready ? "not_ready" : degraded ? "degraded" : "ready";
        JsonObject body =
                new JsonObject()
                        .put("status", status)
                        .put("kafka", kafkaOk ? "ok" : kafka.reason())
                        .put("spool", new JsonObject(spool.json()))
                        .put("upstreams", states);
        Responses.json(request.response(), ready ? 200 : 503, body.encode());
    }
}
