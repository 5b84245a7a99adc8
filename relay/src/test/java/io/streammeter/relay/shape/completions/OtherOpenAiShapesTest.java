package io.streammeter.relay.shape.completions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Usage;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.shape.embeddings.OpenAiEmbeddings;
import io.streammeter.relay.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Legacy completions and embeddings: requests, streamed and whole answers, usage. */
class OtherOpenAiShapesTest {
    private final OpenAiCompletions completions = new OpenAiCompletions();
    private final OpenAiEmbeddings embeddings = new OpenAiEmbeddings();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldForceIncludeUsageOnAStreamedLegacyCompletion() throws Exception {
        RequestFacts facts =
                completions.readRequest(
                        utf8(
                                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\",\"stream\":true}"));

        assertTrue(facts.usageAdded());
        assertTrue(
                facts.upstreamBody()
                        .toString(StandardCharsets.UTF_8)
                        .contains("\"stream_options\":{\"include_usage\":true}"));
        assertEquals(6, facts.promptChars());
    }

    @Test
    void shouldMeterALegacyCompletionStreamAndRemoveTheUsageChunkItCaused() {
        String sse =
                "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
                        + "\"choices\":[{\"text\":\"Hel\",\"index\":0,\"finish_reason\":null}],\"usage\":null}\n\n"
                        + "data: {\"id\":\"cmpl-1\",\"choices\":[{\"text\":\"lo\",\"index\":0,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                        + "data: {\"id\":\"cmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n"
                        + "data: [DONE]\n\n";
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();
        int[] removable = {0};
        new SseParser(
                        event -> {
                            completions.readEvent(event, usage, chunk);
                            removable[0] += chunk.removable() ? 1 : 0;
                            usage.add(chunk, true);
                        },
                        64 * 1024)
                .handle(Buffer.buffer(sse));

        assertEquals(new Usage(5L, 2L, 7L, null, null, null, false), usage.usage());
        assertEquals(5, usage.contentChars());
        assertEquals("stop", usage.finishReason());
        assertEquals(1, removable[0]);
        assertTrue(usage.terminated());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"input\":\"hello\"|5",
                "\"input\":[\"ab\",\"cde\"]|5",
                "\"input\":[1,2,3]|0",
                "\"input\":[[1,2],[3]]|0"
            })
    void shouldAcceptEveryEmbeddingsInputForm(String input, long chars) throws Exception {
        String body = "{\"model\":\"text-embedding-3-small\"," + input + "}";

        RequestFacts facts = embeddings.readRequest(utf8(body));

        assertEquals(chars, facts.promptChars());
        assertFalse(facts.usageAdded());
        assertEquals(body, facts.upstreamBody().toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseEmbeddingsWithoutInput() {
        InvalidRequestException e =
                assertThrows(
                        InvalidRequestException.class,
                        () ->
                                embeddings.readRequest(
                                        utf8("{\"model\":\"text-embedding-3-small\"}")));

        assertEquals("input", e.param());
    }

    @Test
    void shouldReadEmbeddingsUsageWithoutOutputTokens() {
        byte[] body =
                utf8(
                        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,-0.2]}],"
                                + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");
        StreamUsage usage = new StreamUsage();
        ChunkFacts facts = new ChunkFacts();

        embeddings.readBody(body, body.length, usage, facts);
        usage.add(facts, false);

        assertEquals(new Usage(8L, 0L, 8L, null, null, null, false), usage.usage());
        assertEquals("text-embedding-3-small", usage.modelReported());
    }
}
