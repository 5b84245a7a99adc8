package io.streammeter.relay.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body into memory, refusing more than a limit before it is all read. */
final class BodyReader {
    /** The body is over the limit; what was read of it has been let go. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    private BodyReader() {}

    static Future<Buffer> read(HttpServerRequest request, long limit) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = declared == null ? -1 : parse(declared);
        if (length > limit) {
            return Future.failedFuture(new TooLarge());
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer((int) Math.max(256, Math.min(length, limit)));
        request.handler(
                data -> {
                    if (promise.future().isComplete()) {
                        return;
                    }
                    if (body.length() + data.length() > limit) {
                        promise.tryFail(new TooLarge());
                        return;
                    }
                    body.appendBuffer(data);
                });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        return promise.future();
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
