package io.streammeter.relay.stream;

import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.CostHeaders;
import io.streammeter.relay.shape.StreamUsage;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A 2xx body that is no event stream: a non-streamed completion. Kept up to the metering limit, and
 * read whole once it is complete. While the body fits {@code cost-header.max-body-bytes} it is held
 * back, head included, so the head can carry its cost ({@link CostHeaders}); once it outgrows the
 * cap the head goes out without the cost and the body is forwarded as it arrives. Bytes are never
 * changed, only delayed.
 */
final class DocumentBody implements UpstreamBody {
    private final StreamSettings settings;
    private final ApiShapeAdapter adapter;
    private final StreamUsage usage;
    private final Handler<Buffer> client;
    private final Consumer<CostHeaders.Header> head;
    private final String modelRequested;
    private final int limit;
    private final Buffer kept = Buffer.buffer();
    private Buffer held;
    private boolean cut;

    /**
     * @param head writes the response head, with the cost header or, given null, without it
     * @param hold whether to hold the body back for its cost; when false the head is already out
     */
    DocumentBody(
            StreamSettings settings,
            StreamUsage usage,
            Handler<Buffer> client,
            Consumer<CostHeaders.Header> head,
            String modelRequested,
            boolean hold) {
        this.settings = settings;
        this.adapter = settings.adapter();
        this.usage = usage;
        this.client = client;
        this.head = head;
        this.modelRequested = modelRequested;
        this.limit = settings.maxEventBytes();
        this.held = hold ? Buffer.buffer() : null;
    }

    @Override
    public boolean holdsHead() {
        return held != null;
    }

    @Override
    public void data(Buffer data) {
        if (held != null && held.length() + data.length() > settings.costHeaderMaxBodyBytes()) {
            settings.metrics().costHeaderSkippedOverCap();
            release(null); // too large to hold: forwarded from here on without its cost
        }
        if (held != null) {
            held.appendBuffer(data);
        } else {
            client.handle(data);
        }
        if (kept.length() + data.length() > limit) {
            cut = true;
        } else if (!cut) {
            kept.appendBuffer(data);
        }
    }

    @Override
    public Ending complete() {
        Ending ending;
        if (cut) {
            ending =
                    new Ending(
                            StreamOutcome.COMPLETED,
                            "response larger than metering.max-event-bytes; not metered");
        } else {
            ChunkFacts facts = new ChunkFacts();
            adapter.readBody(kept.getBytes(), kept.length(), usage, facts);
            usage.add(facts, false);
            ending = new Ending(StreamOutcome.COMPLETED, null);
        }
        if (held != null) {
            // Not metered (cut) means no usage was read: unpriced, as the line item will be.
            release(CostHeaders.of(usage, modelRequested, settings.prices().get(), Instant.now()));
        }
        return ending;
    }

    /** Writes the head, with {@code cost} when given, and what was held. */
    private void release(CostHeaders.Header cost) {
        Buffer body = held;
        held = null;
        head.accept(cost);
        if (body.length() > 0) {
            client.handle(body);
        }
    }

    @Override
    public Ending broken() {
        held = null; // nothing of it was sent: the client gets an error instead
        return new Ending(
                StreamOutcome.UPSTREAM_TRUNCATED, "the upstream connection closed mid-response");
    }
}
