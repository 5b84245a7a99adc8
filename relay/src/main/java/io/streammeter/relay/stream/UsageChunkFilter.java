package io.streammeter.relay.stream;

import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.sse.SseEvent;
import io.streammeter.relay.sse.SseParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * Forwards an event stream to the client minus the usage-only events the relay caused by asking for
 * usage the client did not ask for. Every other byte goes through unchanged and in order.
 *
 * <p>The stream is cut into blocks at blank lines; a block holds at most one event. A block is
 * written as soon as its bytes arrive unless it may still be a removable event: only then are its
 * bytes held, and only until the adapter can tell (usually at {@code "choices":[} followed by
 * anything but {@code ]}) or the block ends. So at most one event is ever held, and any other event
 * reaches the client with the read that brought it.
 */
final class UsageChunkFilter implements SseParser.Listener {
    private final SseParser parser;
    private final ApiShapeAdapter adapter;
    private final Function<SseEvent, ChunkFacts> meter;
    private final Handler<Buffer> client;

    private Buffer current;
    private int runStart;
    private int blockStart;
    private boolean forwarding;
    private boolean removeBlock;
    private Buffer held;
    private boolean endedOnCr;
    private boolean removedLast;

    /**
     * @param meter meters one event and returns what it said
     * @param client receives the bytes to write, in order
     */
    UsageChunkFilter(
            ApiShapeAdapter adapter,
            Function<SseEvent, ChunkFacts> meter,
            Handler<Buffer> client,
            int maxEventBytes) {
        this.parser = new SseParser(this, maxEventBytes);
        this.adapter = adapter;
        this.meter = meter;
        this.client = client;
    }

    /** Parses and meters {@code buffer}, and writes what the client should see of it. */
    void handle(Buffer buffer) {
        if (buffer.length() == 0) {
            return;
        }
        current = buffer;
        runStart = 0;
        blockStart = 0;
        if (endedOnCr && buffer.length() > 0 && buffer.getByte(0) == '\n') {
            // The last block ended with CR as the previous buffer's last byte: this LF completes
            // that line ending, so it belongs to that block and shares its fate.
            blockStart = 1;
            runStart = removedLast ? 1 : 0;
        }
        endedOnCr = false;
        parser.handle(buffer);
        int end = buffer.length();
        if (!forwarding && (blockStart < end || held != null)) {
            if (adapter.mayBeRemovable(parser.pendingData(), parser.pendingDataLength())) {
                write(runStart, blockStart);
                held = held == null ? Buffer.buffer(end - blockStart + 64) : held;
                held.appendBuffer(buffer, blockStart, end - blockStart);
                current = null;
                return;
            }
            keepBlock();
        }
        write(runStart, end);
        current = null;
    }

    @Override
    public void onEvent(SseEvent event) {
        ChunkFacts facts = meter.apply(event);
        if (!forwarding && facts.removable()) {
            removeBlock = true;
        }
    }

    @Override
    public void onBlockEnd(int offset) {
        removedLast = removeBlock;
        endedOnCr = offset == current.length() && current.getByte(offset - 1) == '\r';
        if (removeBlock) {
            write(runStart, blockStart);
            held = null;
            runStart = offset;
        } else if (!forwarding) {
            keepBlock();
        }
        forwarding = false;
        removeBlock = false;
        blockStart = offset;
    }

    /** Writes whatever is still held: the stream ended inside an event the client should see. */
    void finish() {
        if (held != null) {
            client.handle(held);
            held = null;
        }
    }

    private void keepBlock() {
        forwarding = true;
        if (held != null) {
            // Held bytes open the first block of this buffer, so nothing of it precedes them.
            client.handle(held);
            held = null;
        }
    }

    private void write(int start, int end) {
        if (end <= start) {
            return;
        }
        client.handle(start == 0 && end == current.length() ? current : current.slice(start, end));
    }
}
