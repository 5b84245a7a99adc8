package io.streammeter.relay.shape.openai;

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

/** Usage extraction for every OpenAI stream shape, from the recorded streams. */
class OpenAiChunksTest {
    private final OpenAiChatCompletions adapter = new OpenAiChatCompletions();

    /** What reading a whole recorded stream gave: the fold and each chunk's headline facts. */
    private record Read(StreamUsage usage, List<String> chunks) {
        @Override
        public String toString() {
            return String.join("\n", chunks);
        }
    }

    private Read read(String name) {
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();
        List<String> chunks = new ArrayList<>();
        byte[] bytes = RecordedStreams.bytes(name);
        new SseParser(
                        event -> {
                            adapter.readEvent(event, usage, chunk);
                            usage.add(chunk, true);
                            chunks.add(
                                    (chunk.terminal() ? "DONE" : "chunk")
                                            + " content="
                                            + chunk.contentChars()
                                            + " tools="
                                            + chunk.toolArgumentChars()
                                            + " reasoning="
                                            + chunk.reasoningChars()
                                            + " finish="
                                            + chunk.finishReason()
                                            + " usage="
                                            + chunk.usage()
                                            + " removable="
                                            + chunk.removable()
                                            + " malformed="
                                            + chunk.malformed());
                        },
                        1 << 20)
                .feed(bytes, 0, bytes.length);
        return new Read(usage, chunks);
    }

    private static Usage usage(
            long prompt, long completion, long total, Long cached, Long reasoning) {
        return new Usage(prompt, completion, total, cached, reasoning, null, false);
    }

    @Test
    void shouldReadUsageFromASeparateEmptyChoicesChunkAndMarkOnlyItRemovable() {
        Read read = read("openai-separate-usage.sse");

        assertEquals(usage(12, 5, 17, 0L, 0L), read.usage().usage(), read.toString());
        assertEquals(6, read.usage().chunkCount(), read.toString());
        assertEquals(20, read.usage().contentChars(), read.toString());
        assertEquals("stop", read.usage().finishReason());
        assertEquals("gpt-4o-mini-2024-07-18", read.usage().modelReported());
        assertTrue(read.usage().terminated(), "[DONE] seen");
        assertEquals(
                1,
                read.chunks().stream().filter(c -> c.contains("removable=true")).count(),
                read.toString());
        assertTrue(read.chunks().get(5).contains("removable=true"), read.toString());
    }

    @Test
    void shouldReadUsageAttachedToTheFinishChunkWithoutMakingItRemovable() {
        Read read = read("openai-usage-on-finish.sse");

        assertEquals(usage(9, 2, 11, null, null), read.usage().usage(), read.toString());
        assertEquals(3, read.usage().contentChars());
        assertTrue(
                read.chunks().stream().noneMatch(c -> c.contains("removable=true")),
                read.toString());
        assertTrue(
                read.chunks().get(1).contains("usage=null"),
                "\"usage\": null is no usage: " + read);
    }

    @Test
    void shouldTakeTheLastCumulativeReportNeverTheSum() {
        Read read = read("openai-usage-every-chunk.sse");

        assertEquals(usage(20, 3, 23, null, null), read.usage().usage(), read.toString());
        assertEquals(13, read.usage().contentChars());
        assertEquals("length", read.usage().finishReason());
        assertFalse(read.usage().terminated(), "no [DONE] in this recording");
        assertTrue(read.usage().finished(), "a finish reason finishes the stream");
    }

    @Test
    void shouldIgnoreNullUsageOnIntermediateChunks() {
        Read read = read("openai-usage-null.sse");

        assertEquals(usage(7, 1, 8, null, null), read.usage().usage(), read.toString());
        assertTrue(read.chunks().get(3).contains("removable=true"), read.toString());
    }

    @Test
    void shouldCountToolCallArgumentFragments() {
        Read read = read("openai-tool-calls.sse");

        assertEquals(
                22,
                read.usage().toolArgumentChars(),
                "{\"lo + cation\": + ' \"Zürich\"}': " + read);
        assertEquals(0, read.usage().contentChars(), read.toString());
        assertEquals("tool_calls", read.usage().finishReason());
        assertEquals(usage(50, 9, 59, null, null), read.usage().usage());
    }

    @Test
    void shouldCountContentOverAllChoices() {
        Read read = read("openai-n2.sse");

        assertEquals(8, read.usage().contentChars(), read.toString());
        assertEquals("length", read.usage().finishReason(), "the last finish reason seen");
        assertEquals(usage(10, 8, 18, null, null), read.usage().usage());
    }

    @Test
    void shouldReadCachedAndReasoningTokensAndReasoningText() {
        Read read = read("openai-reasoning-cached-crlf.sse");

        assertEquals(usage(1200, 300, 1500, 1024L, 256L), read.usage().usage(), read.toString());
        assertEquals(5, read.usage().reasoningChars());
        assertEquals(10, read.usage().contentChars());
    }

    @Test
    void shouldCaptureAnErrorEventInTheStream() {
        Read read = read("openai-error-event.sse");

        assertEquals(
                "The server had an error while processing your request.",
                read.usage().errorMessage());
        assertFalse(read.usage().finished(), read.toString());
        assertNull(read.usage().usage());
    }

    @Test
    void shouldCountCodePointsNotUtf16Units() {
        Read read = read("bom-utf8.sse");

        assertEquals(
                "héllo € 😀 日本".codePointCount(0, "héllo € 😀 日本".length()),
                read.usage().contentChars());
    }

    @Test
    void shouldMarkDataThatIsNotJsonAsMalformed() {
        ChunkFacts chunk = new ChunkFacts();
        byte[] bytes = "data: not json\n\n".getBytes(StandardCharsets.UTF_8);
        new SseParser(e -> adapter.readEvent(e, new StreamUsage(), chunk), 1024)
                .feed(bytes, 0, bytes.length);

        assertTrue(chunk.malformed());
    }

    @Test
    void shouldReadANonStreamedResponse() {
        byte[] body =
                ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\","
                                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\","
                                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                                + "\"arguments\":\"{}\"}}]},\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")
                        .getBytes(StandardCharsets.UTF_8);
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();

        adapter.readBody(body, body.length, usage, chunk);
        usage.add(chunk, false);

        assertEquals(usage(3, 2, 5, null, null), usage.usage());
        assertEquals(6, usage.contentChars());
        assertEquals(2, usage.toolArgumentChars());
        assertEquals("stop", usage.finishReason());
        assertEquals("gpt-4o", usage.modelReported());
        assertEquals(0, usage.chunkCount(), "a body is no data event");
    }

    @Test
    void shouldReadTheMessageOfAnErrorBody() {
        byte[] body =
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"
                        .getBytes(StandardCharsets.UTF_8);

        assertEquals("Rate limit reached", adapter.errorMessage(body, body.length));
        assertNull(adapter.errorMessage(new byte[] {'<', 'h'}, 2));
    }

    @Test
    void shouldSayAPartialEventMayBeRemovableUntilItsChoicesShowOtherwise() {
        String usageOnly =
                "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
        String content =
                "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":"
                        + " [ {\"index\":0,\"delta\":{\"content\":\"hi\"}}]}";
        for (int length = 0; length <= usageOnly.length(); length++) {
            assertTrue(mayBe(usageOnly, length), "usage-only prefix of " + length + " bytes");
        }
        int decided = content.indexOf('{', content.indexOf("choices")) + 1;
        for (int length = 0; length <= content.length(); length++) {
            assertEquals(
                    length < decided,
                    mayBe(content, length),
                    "content prefix of " + length + " bytes");
        }
        assertFalse(mayBe("[DONE]", 3), "not an object");
    }

    private boolean mayBe(String data, int length) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return adapter.mayBeRemovable(bytes, length);
    }
}
