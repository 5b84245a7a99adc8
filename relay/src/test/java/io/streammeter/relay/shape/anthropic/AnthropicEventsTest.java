package io.streammeter.relay.shape.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Usage;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.sse.RecordedStreams;
import io.streammeter.relay.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage and counts out of every Anthropic event type, from the recorded streams. */
class AnthropicEventsTest {
    private final AnthropicMessages adapter = new AnthropicMessages();

    /** What reading a whole stream gave: the fold, and each event's facts as one line. */
    private record Read(StreamUsage usage, List<String> events) {
        String fold() {
            return "usage="
                    + usage.usage()
                    + " model="
                    + usage.modelReported()
                    + " finish="
                    + usage.finishReason()
                    + " error="
                    + usage.errorMessage()
                    + " chunks="
                    + usage.chunkCount()
                    + " content="
                    + usage.contentChars()
                    + " tools="
                    + usage.toolArgumentChars()
                    + " reasoning="
                    + usage.reasoningChars()
                    + " terminated="
                    + usage.terminated();
        }

        @Override
        public String toString() {
            return fold() + "\n" + String.join("\n", events);
        }
    }

    /** Reads {@code bytes} fed to the parser in pieces cut at {@code cuts}. */
    private Read read(byte[] bytes, int... cuts) {
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();
        List<String> events = new ArrayList<>();
        SseParser parser =
                new SseParser(
                        event -> {
                            adapter.readEvent(event, usage, chunk);
                            usage.add(chunk, chunk.isChunk());
                            events.add(describe(event.type(), chunk));
                        },
                        1 << 20);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(bytes, from, cut - from);
            from = cut;
        }
        parser.feed(bytes, from, bytes.length - from);
        return new Read(usage, events);
    }

    private Read read(String name) {
        return read(RecordedStreams.bytes(name));
    }

    private static String describe(String type, ChunkFacts chunk) {
        String kind = chunk.terminal() ? "END" : chunk.keepAlive() ? "KEEPALIVE" : "chunk";
        return kind
                + " "
                + type
                + " content="
                + chunk.contentChars()
                + " tools="
                + chunk.toolArgumentChars()
                + " reasoning="
                + chunk.reasoningChars()
                + " finish="
                + chunk.finishReason()
                + " model="
                + chunk.model()
                + " usage="
                + chunk.usage()
                + " error="
                + chunk.errorMessage()
                + " malformed="
                + chunk.malformed()
                + " removable="
                + chunk.removable();
    }

    private static Usage usage(long prompt, long completion, Long cacheRead, Long cacheWrite) {
        return new Usage(
                prompt, completion, prompt + completion, cacheRead, null, cacheWrite, false);
    }

    /** Usage from message_start alone: the output count is not final. */
    private static Usage partial(long prompt, long completion, Long cacheRead, Long cacheWrite) {
        return new Usage(
                prompt, completion, prompt + completion, cacheRead, null, cacheWrite, true);
    }

    @Test
    void shouldMapMessageStartCacheCountsAndTheFinalOutputOntoUsage() {
        Read read = read("anthropic-text-cache.sse");

        assertEquals(
                usage(472 + 12_000 + 1_800, 15, 12_000L, 1_800L),
                read.usage().usage(),
                "prompt = input + cache read + cache write: " + read);
        assertEquals(16, read.usage().contentChars(), "code points of Hello, Zürich! 😀");
        assertEquals("end_turn", read.usage().finishReason());
        assertEquals("claude-sonnet-4-20250514", read.usage().modelReported());
        assertTrue(read.usage().terminated(), "message_stop seen");
        assertEquals(6, read.usage().chunkCount(), "no chunk for ping and message_stop: " + read);
        assertTrue(
                read.events().get(0).contains("usage={\"promptTokens\": 14272"),
                read.events().get(0));
        assertTrue(
                read.events().get(0).contains("\"partial\": true"),
                "message_start's usage is partial: " + read.events().get(0));
        assertTrue(read.events().get(2).startsWith("KEEPALIVE ping"), read.toString());
        assertTrue(read.events().get(7).startsWith("END message_stop"), read.toString());
        assertTrue(read.events().stream().noneMatch(e -> e.contains("removable=true")));
    }

    @Test
    void shouldCountTextAndToolInputFragmentsApart() {
        Read read = read("anthropic-tool-use.sse");

        assertEquals(30, read.usage().contentChars(), read.toString());
        assertEquals(55, read.usage().toolArgumentChars(), "the partial_json fragments: " + read);
        assertEquals("tool_use", read.usage().finishReason());
        assertEquals(
                usage(472, 89, null, null),
                read.usage().usage(),
                "no cache fields reported: both null");
    }

    @Test
    void shouldCountThinkingAsReasoningAndIgnoreTheSignature() {
        Read read = read("anthropic-thinking.sse");

        assertEquals(83, read.usage().reasoningChars(), read.toString());
        assertEquals(17, read.usage().contentChars(), read.toString());
        assertEquals(usage(36, 282, 0L, 0L), read.usage().usage(), read.toString());
        assertNull(read.usage().usage().getReasoningTokens(), "thinking tokens are not reported");
    }

    @Test
    void shouldCaptureAnErrorEventAndKeepTheUsageOfMessageStart() {
        Read read = read("anthropic-error-event.sse");

        assertEquals("overloaded_error: Overloaded", read.usage().errorMessage());
        assertFalse(read.usage().finished(), read.toString());
        assertEquals(
                partial(12, 1, 0L, 0L),
                read.usage().usage(),
                "the last report, message_start's, is partial: " + read);
        assertEquals(4, read.usage().chunkCount(), "the error event is a chunk: " + read);
    }

    @Test
    void shouldTakeTheLastCumulativeOutputNeverTheSumAndRepeatedInputsAsTheyAre() {
        Read read = read("anthropic-cumulative-no-stop-crlf.sse");

        assertEquals(
                usage(25 + 100, 16, 100L, 0L),
                read.usage().usage(),
                "output 16 (not 1 + 10 + 16), input 25 (not 75): " + read);
        assertEquals(13, read.usage().contentChars(), "fields in any order: " + read);
        assertEquals("max_tokens", read.usage().finishReason());
        assertFalse(read.usage().terminated(), "no message_stop in this recording");
        assertTrue(read.usage().finished(), "a stop reason finishes the stream: " + read);
        assertTrue(
                read.events().get(3).startsWith("chunk message content=0"),
                "an event without an event: line is typed by its data: " + read);
        assertTrue(
                read.events().get(4).contains("usage=null"),
                "an unknown event type is a plain chunk: " + read);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "anthropic-text-cache.sse",
                "anthropic-tool-use.sse",
                "anthropic-thinking.sse",
                "anthropic-error-event.sse",
                "anthropic-cumulative-no-stop-crlf.sse"
            })
    void shouldReadTheSameFactsWhereverTheStreamIsCut(String name) {
        byte[] bytes = RecordedStreams.bytes(name);
        Read whole = read(bytes);
        assertFalse(whole.events().isEmpty(), name);

        for (int cut = 0; cut <= bytes.length; cut++) {
            Read split = read(bytes, cut);
            assertEquals(whole.toString(), split.toString(), name + " cut at byte " + cut);
        }
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(whole.toString(), read(bytes, everyByte).toString(), name + " byte by byte");
    }

    @Test
    void shouldTypeAnEventByItsEventFieldWhenTheDataNamesNone() {
        Read read =
                read(
                        ("event: ping\ndata: {}\n\nevent: message_stop\ndata: {}\n\n"
                                        + "event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n")
                                .getBytes(StandardCharsets.UTF_8));

        assertTrue(read.events().get(0).startsWith("KEEPALIVE"), read.toString());
        assertTrue(read.events().get(1).startsWith("END"), read.toString());
        assertEquals("boom", read.usage().errorMessage(), read.toString());
        assertEquals(1, read.usage().chunkCount(), "only the error is a chunk: " + read);
    }

    @Test
    void shouldMarkDataThatIsNotJsonAsMalformed() {
        Read read =
                read(
                        "event: content_block_delta\ndata: not json\n\n"
                                .getBytes(StandardCharsets.UTF_8));

        assertTrue(read.events().get(0).contains("malformed=true"), read.toString());
        assertEquals(1, read.usage().chunkCount(), read.toString());
    }

    @Test
    void shouldReadANonStreamedMessage() {
        byte[] body =
                ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\","
                                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"Hmm.\",\"signature\":\"abc\"},"
                                + "{\"type\":\"text\",\"text\":\"Grüße\"},"
                                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"city\":\"Zürich\"}}],"
                                + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                                + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":20,"
                                + "\"cache_read_input_tokens\":30,\"output_tokens\":7}}")
                        .getBytes(StandardCharsets.UTF_8);
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();

        adapter.readBody(body, body.length, usage, chunk);
        usage.add(chunk, false);

        assertEquals(usage(60, 7, 30L, 20L), usage.usage());
        assertEquals(5, usage.contentChars());
        assertEquals(4, usage.reasoningChars());
        assertEquals(
                "{\"city\":\"Zürich\"}".length(),
                usage.toolArgumentChars(),
                "the input object's JSON text");
        assertEquals("tool_use", usage.finishReason());
        assertEquals("claude-haiku-4-5", usage.modelReported());
        assertEquals(0, usage.chunkCount(), "a body is no data event");
    }

    @Test
    void shouldReadTheTypeAndMessageOfAnErrorBody() {
        byte[] body =
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}"
                        .getBytes(StandardCharsets.UTF_8);

        assertEquals("rate_limit_error: Slow down", adapter.errorMessage(body, body.length));
        assertNull(adapter.errorMessage(new byte[] {'<', 'h'}, 2));
    }

    @Test
    void shouldNeverHoldAnEventBack() {
        byte[] data = "{\"type\":\"message_delta\"".getBytes(StandardCharsets.UTF_8);

        assertFalse(adapter.mayBeRemovable(data, data.length));
        assertFalse(adapter.mayBeRemovable(data, 0));
    }
}
