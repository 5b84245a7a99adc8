package io.streammeter.relay.stream;

import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A 2xx body that is no event stream: a non-streamed completion. Forwarded as it arrives, kept up
 * to the metering limit, and read whole once it is complete.
 */
final class DocumentBody implements UpstreamBody {
    private final ApiShapeAdapter adapter;
    private final StreamUsage usage;
    private final Handler<Buffer> client;
    private final int limit;
    private final Buffer kept = Buffer.buffer();
    private boolean cut;

    DocumentBody(StreamSettings settings, StreamUsage usage, Handler<Buffer> client) {
        this.adapter = settings.adapter();
        this.usage = usage;
        this.client = client;
        this.limit = settings.maxEventBytes();
    }

    @Override
    public void data(Buffer data) {
        client.handle(data);
        if (kept.length() + data.length() > limit) {
            cut = true;
        } else if (!cut) {
            kept.appendBuffer(data);
        }
    }

    @Override
    public Ending complete() {
        if (cut) {
            return new Ending(
                    StreamOutcome.COMPLETED,
                    "response larger than metering.max-event-bytes; not metered");
        }
        ChunkFacts facts = new ChunkFacts();
        adapter.readBody(kept.getBytes(), kept.length(), usage, facts);
        usage.add(facts, false);
        return new Ending(StreamOutcome.COMPLETED, null);
    }

    @Override
    public Ending broken() {
        return new Ending(
                StreamOutcome.UPSTREAM_TRUNCATED, "the upstream connection closed mid-response");
    }
}
