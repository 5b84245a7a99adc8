package io.streammeter.relay.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The recorded streams under {@code src/test/resources/sse/}, and a parser that collects events.
 */
public final class RecordedStreams {
    public static final List<String> ALL =
            List.of(
                    "openai-separate-usage.sse",
                    "openai-usage-on-finish.sse",
                    "openai-usage-every-chunk.sse",
                    "openai-usage-null.sse",
                    "openai-tool-calls.sse",
                    "openai-n2.sse",
                    "openai-reasoning-cached-crlf.sse",
                    "openai-error-event.sse",
                    "responses-text.sse",
                    "responses-function-call.sse",
                    "responses-incomplete.sse",
                    "responses-failed.sse",
                    "responses-error-event.sse",
                    "anthropic-text-cache.sse",
                    "anthropic-tool-use.sse",
                    "anthropic-thinking.sse",
                    "anthropic-error-event.sse",
                    "anthropic-cumulative-no-stop-crlf.sse",
                    "cr-line-endings.sse",
                    "whatwg-fields.sse",
                    "bom-utf8.sse");

    private RecordedStreams() {}

    public static Stream<String> names() {
        return ALL.stream();
    }

    public static byte[] bytes(String name) {
        try (InputStream in = RecordedStreams.class.getResourceAsStream("/sse/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded stream " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event as a value, to compare. */
    public record Event(String type, String data, String id, boolean truncated) {
        static Event of(SseEvent e) {
            return new Event(e.type(), e.dataAsString(), e.lastEventId(), e.truncated());
        }
    }

    /** Feeds {@code bytes} cut at the given positions and returns every event, in order. */
    public static List<Event> parse(byte[] bytes, int maxEventBytes, int... cuts) {
        List<Event> events = new ArrayList<>();
        SseParser parser = new SseParser(e -> events.add(Event.of(e)), maxEventBytes);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(bytes, from, cut - from);
            from = cut;
        }
        parser.feed(bytes, from, bytes.length - from);
        return events;
    }
}
