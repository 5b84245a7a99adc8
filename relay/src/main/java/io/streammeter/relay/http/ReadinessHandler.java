package io.streammeter.relay.http;

import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.publish.KafkaReadiness;
import io.streammeter.relay.publish.SpoolStatus;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: 200 while the relay can serve and bill requests, which it can while Kafka is
 * down as long as the spool has room; 503 while shutting down, or while the spool is full under
 * {@code spool.full-policy=reject}. The body says whether Kafka answers (from a cached check) and
 * what the spool holds.
 */
public final class ReadinessHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final KafkaReadiness kafka;
    private final EventPublisher publisher;
    private final String upstreamName;
    private final String anthropicName;
    private final BooleanSupplier shuttingDown;

    public ReadinessHandler(
            Vertx vertx,
            KafkaReadiness kafka,
            EventPublisher publisher,
            String upstreamName,
            String anthropicName,
            BooleanSupplier shuttingDown) {
        this.vertx = vertx;
        this.kafka = kafka;
        this.publisher = publisher;
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
                                            boolean kafkaOk = ready.succeeded() && ready.result();
                                            SpoolStatus spool = publisher.status();
                                            boolean ok = !(spool.full() && rejecting());
                                            String body =
                                                    "{\"status\":\""
                                                            + (ok ? "ready" : "not_ready")
                                                            + "\",\"kafka\":\""
                                                            + (kafkaOk ? "ok" : kafka.reason())
                                                            + "\",\"spool\":"
                                                            + spool.json()
                                                            + ",\"upstream\":\""
                                                            + upstreamName
                                                            + "\",\"anthropic\":\""
                                                            + anthropicName
                                                            + "\"}";
                                            Responses.json(
                                                    request.response(), ok ? 200 : 503, body);
                                        }));
    }

    private boolean rejecting() {
        return publisher.fullPolicy() == io.streammeter.relay.config.SpoolConfig.FullPolicy.REJECT;
    }
}
