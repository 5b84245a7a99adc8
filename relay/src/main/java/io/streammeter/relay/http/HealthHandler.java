package io.streammeter.relay.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/** {@code GET /healthz}: the process is up and its event loop answers. */
public final class HealthHandler implements Handler<HttpServerRequest> {
    @Override
    public void handle(HttpServerRequest request) {
        Responses.json(request.response(), 200, "{\"status\":\"ok\"}");
    }
}
