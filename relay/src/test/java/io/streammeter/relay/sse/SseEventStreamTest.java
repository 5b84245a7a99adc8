package io.streammeter.relay.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventStreamTest {

    /** A source whose flow control the test can see; it pushes whatever the test gives it. */
    private static final class Source implements ReadStream<Buffer> {
        Handler<Buffer> handler;
        Handler<Void> end;
        boolean paused;

        void push(String text) {
            handler.handle(Buffer.buffer(text));
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            handler = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            paused = true;
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            paused = false;
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            paused = false;
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            end = h;
            return this;
        }
    }

    @Test
    void shouldPassPauseAndDemandThroughToTheSource() {
        Source source = new Source();
        List<String> events = new ArrayList<>();
        boolean[] ended = {false};
        SseEventStream stream = SseEventStream.of(source, 1024);
        stream.endHandler(v -> ended[0] = true);
        stream.handler(e -> events.add(e.dataAsString()));

        stream.pause();
        assertTrue(source.paused, "pause reaches the source");
        source.push("data: a\n\ndata: b\n\ndata: c\n\n");
        assertEquals(List.of(), events, "nothing delivered without demand");

        stream.fetch(2);
        assertEquals(List.of("a", "b"), events);
        assertTrue(source.paused, "demand spent: the source stays paused");

        source.end.handle(null);
        assertFalse(ended[0], "an event still waits");
        stream.resume();
        assertEquals(List.of("a", "b", "c"), events);
        assertTrue(ended[0], "then the end");
    }

    @Test
    void shouldFlowWithoutCopyingWhileThereIsDemand() {
        Source source = new Source();
        List<SseEvent> seen = new ArrayList<>();
        SseEventStream.of(source, 1024).handler(seen::add);

        source.push("data: x\n\nda");
        source.push("ta: y\n\n");

        assertEquals(2, seen.size());
        assertTrue(seen.get(0) == seen.get(1), "the parser's own event object, reused");
        assertFalse(source.paused);
    }
}
