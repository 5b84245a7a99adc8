package io.streammeter.relay.stream;

import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A non-2xx body: forwarded to the client as it is, and kept (64 KiB at most) for the error text.
 * The stream's outcome is {@code UPSTREAM_ERROR} however the body ends: the upstream refused.
 */
final class ErrorBody implements UpstreamBody {
    private static final int LIMIT = 64 * 1024;

    private final ApiShapeAdapter adapter;
    private final Handler<Buffer> client;
    private final int status;
    private final Buffer kept = Buffer.buffer();

    ErrorBody(ApiShapeAdapter adapter, Handler<Buffer> client, int status) {
        this.adapter = adapter;
        this.client = client;
        this.status = status;
    }

    @Override
    public void data(Buffer data) {
        client.handle(data);
        if (kept.length() + data.length() <= LIMIT) {
            kept.appendBuffer(data);
        }
    }

    @Override
    public Ending complete() {
        return new Ending(StreamOutcome.UPSTREAM_ERROR, errorText());
    }

    @Override
    public Ending broken() {
        return complete();
    }

    String errorText() {
        String message = adapter.errorMessage(kept.getBytes(), kept.length());
        return "HTTP " + status + (message == null ? "" : ": " + message);
    }
}
