package io.streammeter.relay.stream;

import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.sse.SseEvent;
import io.streammeter.relay.sse.SseParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A 2xx {@code text/event-stream} body. Without the usage rule every buffer goes to the client
 * first and to the parser second; with it, a {@link UsageChunkFilter} decides per event. Each data
 * event becomes one {@code StreamChunk}, but for end markers and keep-alives.
 */
final class EventStreamBody implements UpstreamBody, SseParser.Listener {
    private final ApiShapeAdapter adapter;
    private final StreamRecorder recorder;
    private final StreamUsage usage;
    private final Handler<Buffer> client;
    private final boolean capture;
    private final ChunkFacts chunk = new ChunkFacts();
    private final SseParser parser;
    private final UsageChunkFilter filter;
    private int chunkIndex;

    /**
     * @param removeUsageChunk whether the relay asked for usage the client did not want
     */
    EventStreamBody(
            StreamSettings settings,
            StreamRecorder recorder,
            StreamUsage usage,
            Handler<Buffer> client,
            boolean removeUsageChunk) {
        this.adapter = settings.adapter();
        this.recorder = recorder;
        this.usage = usage;
        this.client = client;
        this.capture = settings.captureContent();
        if (removeUsageChunk) {
            this.filter =
                    new UsageChunkFilter(adapter, this::meter, client, settings.maxEventBytes());
            this.parser = null;
        } else {
            this.filter = null;
            this.parser = new SseParser(this, settings.maxEventBytes());
        }
    }

    @Override
    public void data(Buffer data) {
        if (filter != null) {
            filter.handle(data);
        } else {
            client.handle(data);
            parser.handle(data);
        }
    }

    @Override
    public void onEvent(SseEvent event) {
        meter(event);
    }

    private ChunkFacts meter(SseEvent event) {
        adapter.readEvent(event, usage, chunk);
        usage.add(chunk, true);
        if (chunk.isChunk()) {
            recorder.chunk(chunkIndex++, chunk, capture ? event.dataAsString() : null);
        }
        return chunk;
    }

    @Override
    public Ending complete() {
        if (usage.errorMessage() != null) {
            return new Ending(StreamOutcome.UPSTREAM_ERROR, usage.errorMessage());
        }
        return usage.finished()
                ? new Ending(StreamOutcome.COMPLETED, null)
                : new Ending(
                        StreamOutcome.UPSTREAM_TRUNCATED,
                        "the upstream ended the stream before it finished");
    }

    @Override
    public Ending broken() {
        // After its end marker the stream is complete, however the connection then went.
        return usage.terminated()
                ? new Ending(StreamOutcome.COMPLETED, null)
                : new Ending(
                        StreamOutcome.UPSTREAM_TRUNCATED,
                        "the upstream connection closed mid-stream");
    }

    @Override
    public boolean endsCleanlyWhenBroken() {
        return usage.terminated();
    }

    @Override
    public void flush() {
        if (filter != null) {
            filter.finish();
        }
    }

    @Override
    public boolean acceptsErrorEvent() {
        return true;
    }

    @Override
    public boolean keepsLength() {
        return filter == null;
    }
}
