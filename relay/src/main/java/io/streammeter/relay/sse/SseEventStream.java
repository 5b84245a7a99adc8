package io.streammeter.relay.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The events of a {@code ReadStream<Buffer>} as a {@code ReadStream<SseEvent>}, with flow control
 * passed through as {@code RecordParser} does: no demand pauses the source, demand resumes it.
 * Events parsed from a buffer that arrived after demand ran out wait here (copied), so the bound is
 * one source buffer's events.
 *
 * <p>The relay itself does not need this: it forwards every buffer and feeds the same buffer to a
 * {@link SseParser}, so pausing the upstream pauses both at once. This is for consumers that want
 * events only, such as clients and tests.
 */
public final class SseEventStream implements ReadStream<SseEvent> {
    private final ReadStream<Buffer> source;
    private final SseParser parser;
    private final ArrayDeque<SseEvent> waiting = new ArrayDeque<>();
    private Handler<SseEvent> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private boolean sourceEnded;
    private boolean delivering;

    private SseEventStream(ReadStream<Buffer> source, int maxEventBytes) {
        this.source = source;
        this.parser = new SseParser(this::parsed, maxEventBytes);
    }

    /** Events of {@code source}; set a handler to start the flow. */
    public static SseEventStream of(ReadStream<Buffer> source, int maxEventBytes) {
        return new SseEventStream(source, maxEventBytes);
    }

    @Override
    public SseEventStream handler(Handler<SseEvent> handler) {
        this.handler = handler;
        if (handler == null) {
            source.handler(null);
            return this;
        }
        source.endHandler(
                v -> {
                    sourceEnded = true;
                    deliver();
                });
        source.exceptionHandler(
                e -> {
                    if (exceptionHandler != null) {
                        exceptionHandler.handle(e);
                    }
                });
        source.handler(parser);
        return this;
    }

    private void parsed(SseEvent event) {
        if (demand > 0 && waiting.isEmpty()) {
            emit(event);
        } else {
            waiting.add(event.copy());
            source.pause();
        }
    }

    private void emit(SseEvent event) {
        if (demand != Long.MAX_VALUE) {
            demand--;
        }
        handler.handle(event);
        if (demand == 0) {
            source.pause();
        }
    }

    private void deliver() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (demand > 0 && !waiting.isEmpty()) {
                emit(waiting.poll());
            }
        } finally {
            delivering = false;
        }
        if (waiting.isEmpty() && sourceEnded && endHandler != null) {
            Handler<Void> end = endHandler;
            endHandler = null;
            end.handle(null);
        } else if (demand > 0 && waiting.isEmpty()) {
            source.resume();
        }
    }

    @Override
    public SseEventStream pause() {
        demand = 0;
        source.pause();
        return this;
    }

    @Override
    public SseEventStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public SseEventStream fetch(long amount) {
        if (amount > 0) {
            demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
            deliver();
        }
        return this;
    }

    @Override
    public SseEventStream endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    @Override
    public SseEventStream exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }
}
