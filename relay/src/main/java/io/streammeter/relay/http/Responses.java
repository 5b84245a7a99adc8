package io.streammeter.relay.http;

import io.streammeter.relay.shape.ApiError;
import io.streammeter.relay.shape.ErrorFormat;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Ends a response the relay answers itself. */
final class Responses {
    private Responses() {}

    static void error(HttpServerResponse response, ApiError error, ErrorFormat format) {
        response.setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(error.json(format));
    }

    static void json(HttpServerResponse response, int status, String json) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json);
    }
}
