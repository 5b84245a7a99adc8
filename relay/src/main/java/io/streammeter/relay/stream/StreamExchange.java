package io.streammeter.relay.stream;

import io.streammeter.relay.auth.SecretScrubber;
import io.streammeter.relay.config.DisconnectPolicy;
import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.metrics.UpstreamFailure;
import io.streammeter.relay.shape.ApiError;
import io.streammeter.relay.shape.CostHeaders;
import io.streammeter.relay.shape.ErrorFormat;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.upstream.ForwardedHeaders;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;

/**
 * One accepted request, from opening the upstream to its single ending. Bytes flow upstream to
 * client as they arrive; metering reads the same buffers beside them; a full client write queue
 * pauses the upstream. Every path ends in {@link #finish}, which publishes {@code StreamEnded}
 * once; when two causes race, the first one seen wins. Confined to the request's event loop.
 */
public final class StreamExchange {
    private final StreamSettings settings;
    private final HttpServerResponse client;
    private final StreamRecorder recorder;
    private final RequestFacts facts;
    private final SecretScrubber scrubber;
    private final StreamUsage usage = new StreamUsage();

    private HttpClientRequest upstreamRequest;
    private HttpClientResponse upstream;
    private Integer upstreamStatus;
    private UpstreamBody body;
    private boolean clientGone;
    private boolean paused;
    private boolean finished;
    private long lastReadNanos;
    private long drainTimer = -1;
    private long requestSideNanos;

    public StreamExchange(
            StreamSettings settings,
            HttpServerResponse client,
            StreamRecorder recorder,
            RequestFacts facts,
            SecretScrubber scrubber) {
        this.settings = settings;
        this.client = client;
        this.recorder = recorder;
        this.facts = facts;
        this.scrubber = scrubber;
    }

    /**
     * Sends the request upstream.
     *
     * @param headers the headers to send, already filtered
     * @param query the client's query string, or null
     * @param bodyReadNanos when the client's request was complete, for the added-latency metric
     */
    public void start(MultiMap headers, String query, long bodyReadNanos) {
        settings.active().add(this);
        lastReadNanos = System.nanoTime();
        requestSideNanos = lastReadNanos - bodyReadNanos;
        client.closeHandler(v -> onClientClosed());
        client.exceptionHandler(e -> {}); // the close handler covers every way a client leaves
        if (client.closed()) {
            onClientClosed(); // it left while its body was being read
        }
        settings.upstream()
                .open(settings.adapter().upstreamPath(), query, headers)
                .compose(this::send)
                .onComplete(
                        response -> {
                            if (response.succeeded()) {
                                onResponse(response.result());
                            } else {
                                onNoResponse(response.cause());
                            }
                        });
    }

    private Future<HttpClientResponse> send(HttpClientRequest request) {
        upstreamRequest = request;
        if (finished) {
            request.reset();
            return Future.failedFuture("the stream ended before the upstream was reached");
        }
        return request.send(facts.upstreamBody());
    }

    private void onResponse(HttpClientResponse response) {
        if (finished) {
            response.request().reset();
            return;
        }
        long headersNanos = System.nanoTime();
        upstream = response;
        upstreamStatus = response.statusCode();
        if (upstreamStatus < 400) {
            settings.health().succeeded();
        } else {
            settings.upstreamFailed(
                    UpstreamFailure.ofStatus(upstreamStatus), "status " + upstreamStatus);
        }
        lastReadNanos = headersNanos;
        body = bodyOf(response);
        if (!body.holdsHead()) {
            writeHead(null); // the client learns the status now, not with the first event
        }
        settings.metrics().addedLatency(requestSideNanos + System.nanoTime() - headersNanos);
        response.handler(this::onData);
        response.endHandler(v -> onEnd());
        response.exceptionHandler(this::onBroken);
    }

    /** Writes the response head, with {@code cost} when given; once, and never to a gone client. */
    private void writeHead(CostHeaders.Header cost) {
        if (clientGone || client.headWritten()) {
            return;
        }
        client.setStatusCode(upstream.statusCode());
        ForwardedHeaders.response(upstream.headers(), client.headers(), body.keepsLength());
        client.headers().remove(CostHeaders.COST).remove(CostHeaders.UNPRICED); // only the relay's
        if (cost != null) {
            client.headers().set(cost.name(), cost.value());
        }
        client.headers().set("X-Stream-Id", recorder.streamId());
        client.setChunked(!client.headers().contains(HttpHeaders.CONTENT_LENGTH));
        client.writeHead();
    }

    private UpstreamBody bodyOf(HttpClientResponse response) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            return new ErrorBody(settings.adapter(), this::write, status);
        }
        String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new EventStreamBody(settings, recorder, usage, this::write, facts.usageAdded());
        }
        int cap = settings.costHeaderMaxBodyBytes();
        boolean hold = cap > 0;
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (hold && length != null && declaredLength(length) > cap) {
            hold = false; // known too large before a byte: not held at all
            settings.metrics().costHeaderSkippedOverCap();
        }
        return new DocumentBody(settings, usage, this::write, this::writeHead, facts.model(), hold);
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unreadable: do not hold what may be anything
        }
    }

    private void onData(Buffer data) {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        lastReadNanos = now;
        recorder.firstByte(now);
        settings.metrics().bytesFromUpstream(data.length());
        body.data(data);
        if (!clientGone && client.writeQueueFull()) {
            paused = true;
            upstream.pause();
            settings.metrics().upstreamPaused();
            client.drainHandler(v -> resume());
        }
    }

    private void write(Buffer data) {
        if (!clientGone) {
            client.write(data);
            settings.metrics().bytesToClient(data.length());
        }
    }

    private void resume() {
        if (paused && !finished) {
            paused = false;
            lastReadNanos = System.nanoTime(); // a paused upstream was not idle
            upstream.resume();
        }
    }

    private void onEnd() {
        if (finished) {
            return;
        }
        Ending ending = body.complete();
        if (clientGone) {
            finish(
                    StreamOutcome.CLIENT_DISCONNECTED,
                    "client disconnected; upstream read to the end");
            return;
        }
        finish(ending.outcome(), ending.errorText());
        body.flush();
        client.end();
    }

    /** The upstream connection broke after its response began. */
    private void onBroken(Throwable cause) {
        if (finished) {
            return;
        }
        if (clientGone) {
            finish(
                    StreamOutcome.CLIENT_DISCONNECTED,
                    "client disconnected; upstream broke in drain");
            return;
        }
        Ending ending = body.broken();
        finish(ending.outcome(), ending.errorText());
        body.flush();
        if (!client.headWritten()) {
            // A body held for its cost: nothing was sent, so the client gets an error it can read.
            respondError(
                    ApiError.of(
                            ApiError.Kind.UPSTREAM_TRUNCATED,
                            "The upstream closed the connection before its response was"
                                    + " complete."));
        } else if (body.endsCleanlyWhenBroken()) {
            client.end();
        } else {
            client.reset(); // the client sees the same abrupt end the relay saw
        }
    }

    /** No upstream response: no connection, or it broke before the status line. */
    private void onNoResponse(Throwable cause) {
        if (finished) {
            return;
        }
        settings.upstreamFailed(UpstreamFailure.UNREACHABLE, cause.getClass().getSimpleName());
        if (clientGone) {
            finish(StreamOutcome.CLIENT_DISCONNECTED, "client disconnected; upstream unreachable");
            return;
        }
        finish(
                StreamOutcome.UPSTREAM_ERROR,
                "upstream unreachable: " + cause.getClass().getSimpleName());
        respondError(
                ApiError.of(
                        ApiError.Kind.UPSTREAM_UNREACHABLE,
                        "The relay could not reach the upstream '"
                                + settings.upstreamName()
                                + "'."));
    }

    private void onClientClosed() {
        if (finished || clientGone) {
            return;
        }
        clientGone = true;
        if (body instanceof ErrorBody error) {
            finish(StreamOutcome.UPSTREAM_ERROR, error.errorText()); // the upstream refused first
            resetUpstream();
        } else if (settings.disconnectPolicy() == DisconnectPolicy.CANCEL
                || settings.drainMillis() == 0) {
            finish(StreamOutcome.CLIENT_DISCONNECTED, "client disconnected; upstream cancelled");
            resetUpstream();
        } else {
            drain();
        }
    }

    /** Policy drain: keep reading without a client, so usage still arrives, within a time limit. */
    private void drain() {
        resume();
        drainTimer =
                settings.vertx()
                        .setTimer(
                                settings.drainMillis(),
                                id -> {
                                    drainTimer = -1;
                                    if (!finished) {
                                        finish(
                                                StreamOutcome.CLIENT_DISCONNECTED,
                                                "client disconnected; drain time limit reached");
                                        resetUpstream();
                                    }
                                });
    }

    /** Called by the sweep: ends the stream when the upstream was silent too long while read. */
    void checkIdle(long nowNanos) {
        if (finished || paused || nowNanos - lastReadNanos < settings.idleTimeoutNanos()) {
            return;
        }
        if (clientGone) {
            finish(StreamOutcome.CLIENT_DISCONNECTED, "client disconnected; upstream went idle");
            resetUpstream();
            return;
        }
        abort(
                StreamOutcome.UPSTREAM_TIMEOUT,
                ApiError.of(
                        ApiError.Kind.UPSTREAM_TIMEOUT,
                        "The upstream sent nothing for "
                                + settings.idleTimeoutNanos() / 1_000_000
                                + " ms."));
    }

    /** Called when the grace period of a shutdown is over. */
    void shutdown() {
        if (finished) {
            return;
        }
        if (clientGone) {
            finish(
                    StreamOutcome.CLIENT_DISCONNECTED,
                    "client disconnected; relay shut down in drain");
            resetUpstream();
            return;
        }
        abort(
                StreamOutcome.RELAY_SHUTDOWN,
                ApiError.of(ApiError.Kind.SHUTTING_DOWN, "The relay is shutting down."));
    }

    /** Ends the stream on the relay's initiative: the client learns why, the upstream is closed. */
    private void abort(StreamOutcome outcome, ApiError error) {
        finish(outcome, error.message());
        resetUpstream();
        if (body != null) {
            body.flush();
        }
        respondError(error);
    }

    private void respondError(ApiError error) {
        ErrorFormat format = settings.adapter().errorFormat();
        if (!client.headWritten()) {
            client.setStatusCode(error.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader("X-Stream-Id", recorder.streamId()) // its line item says the rest
                    .end(error.json(format));
        } else if (body.acceptsErrorEvent()) {
            write(error.sseEvent(format));
            client.end();
        } else {
            client.reset(); // mid-document: nothing well-formed can be appended
        }
    }

    private void resetUpstream() {
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
    }

    private void finish(StreamOutcome outcome, String errorText) {
        if (finished) {
            return;
        }
        finished = true;
        if (drainTimer >= 0) {
            settings.vertx().cancelTimer(drainTimer);
            drainTimer = -1;
        }
        settings.active().remove(this);
        if (outcome == StreamOutcome.UPSTREAM_TIMEOUT) {
            settings.upstreamFailed(UpstreamFailure.TIMEOUT, "no byte in time");
        } else if (outcome == StreamOutcome.UPSTREAM_TRUNCATED) {
            settings.upstreamFailed(UpstreamFailure.TRUNCATED, "closed mid-stream");
        }
        recorder.end(outcome, usage, upstreamStatus, scrubber.scrub(errorText));
    }
}
