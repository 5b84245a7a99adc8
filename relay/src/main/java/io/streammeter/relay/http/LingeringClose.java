package io.streammeter.relay.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Closes the connection of a request whose body was refused, but only once the client has finished
 * sending it (within bounds) and the answer is out. Closing with unread input makes the kernel
 * reset the connection, and the client loses the 413 it was about to read; web servers call the
 * cure "lingering close".
 */
final class LingeringClose {
    static final long MAX_DISCARDED_BYTES = 4L * 1024 * 1024;
    static final Duration MAX_LINGER = Duration.ofSeconds(2);

    private final HttpConnection connection;
    private boolean requestDone;
    private boolean responseDone;
    private long discarded;

    private LingeringClose(HttpConnection connection) {
        this.connection = connection;
    }

    /**
     * Discards the rest of the body from now on; call on the request's event loop, before
     * answering.
     */
    static void start(HttpServerRequest request) {
        // Said up front, so a client does not put the connection back in its pool and send its
        // next request into a socket that is about to close.
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        LingeringClose linger = new LingeringClose(request.connection());
        Vertx.currentContext()
                .owner()
                .setTimer(MAX_LINGER.toMillis(), id -> linger.connection.close());
        request.response().endHandler(v -> linger.responseEnded());
        if (request.isEnded()) {
            linger.requestEnded();
            return;
        }
        request.exceptionHandler(e -> linger.requestEnded());
        request.endHandler(v -> linger.requestEnded());
        request.handler(
                data -> {
                    linger.discarded += data.length();
                    if (linger.discarded > MAX_DISCARDED_BYTES) {
                        linger.requestEnded(); // enough: a reset is the client's own doing now
                    }
                });
        request.resume();
    }

    private void requestEnded() {
        requestDone = true;
        closeWhenDone();
    }

    private void responseEnded() {
        responseDone = true;
        closeWhenDone();
    }

    private void closeWhenDone() {
        if (requestDone && responseDone) {
            connection.close();
        }
    }
}
