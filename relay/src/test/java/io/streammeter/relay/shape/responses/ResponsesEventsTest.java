package io.streammeter.relay.shape.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Usage;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.sse.RecordedStreams;
import io.streammeter.relay.sse.SseParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage and counts out of the Responses API's events and bodies, from the recorded streams. */
class ResponsesEventsTest {
    private final OpenAiResponses adapter = new OpenAiResponses();

    private StreamUsage read(String name) {
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();
        byte[] bytes = RecordedStreams.bytes(name);
        new SseParser(
                        event -> {
                            adapter.readEvent(event, usage, chunk);
                            assertFalse(chunk.malformed(), name);
                            assertFalse(chunk.removable(), name);
                            usage.add(chunk, true);
                        },
                        64 * 1024)
                .handle(io.vertx.core.buffer.Buffer.buffer(bytes));
        return usage;
    }

    @Test
    void shouldTakeUsageFromTheCompletedResponse() {
        StreamUsage read = read("responses-text.sse");

        assertEquals(new Usage(37L, 11L, 48L, 5L, 3L, null, false), read.usage());
        assertEquals("gpt-4.1-2025-04-14", read.modelReported());
        // "Hi thére", 8 code points: the done event's full text is not counted again.
        assertEquals(8, read.contentChars());
        assertEquals("completed", read.finishReason());
        assertTrue(read.terminated());
        assertNull(read.errorMessage());
        assertEquals(7, read.chunkCount());
    }

    @Test
    void shouldCountFunctionCallArguments() {
        StreamUsage read = read("responses-function-call.sse");

        assertEquals(16, read.toolArgumentChars());
        assertEquals(new Usage(50L, 9L, 59L, null, null, null, false), read.usage());
    }

    @Test
    void shouldBillAnIncompleteResponseAndSayWhy() {
        StreamUsage read = read("responses-incomplete.sse");

        assertEquals(new Usage(20L, 16L, 36L, null, 12L, null, false), read.usage());
        assertEquals("max_output_tokens", read.finishReason());
        assertTrue(read.terminated());
        assertNull(read.errorMessage());
    }

    @Test
    void shouldBillAFailedResponseAsAnUpstreamError() {
        StreamUsage read = read("responses-failed.sse");

        assertEquals(new Usage(20L, 2L, 22L, null, null, null, false), read.usage());
        assertEquals("The model failed.", read.errorMessage());
        assertTrue(read.terminated());
    }

    @Test
    void shouldEndOnAnErrorEventWithoutUsage() {
        StreamUsage read = read("responses-error-event.sse");

        assertNull(read.usage());
        assertEquals("Rate limit reached", read.errorMessage());
        assertFalse(read.terminated());
    }

    @Test
    void shouldReadANonStreamedResponse() {
        byte[] body =
                ("{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-4o\","
                                + "\"output\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"ab\"}]},"
                                + "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"hello\"}]},"
                                + "{\"type\":\"function_call\",\"arguments\":\"{}\"}],"
                                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}")
                        .getBytes(StandardCharsets.UTF_8);
        StreamUsage usage = new StreamUsage();
        ChunkFacts facts = new ChunkFacts();

        adapter.readBody(body, body.length, usage, facts);
        usage.add(facts, false);

        assertEquals(new Usage(3L, 4L, 7L, null, null, null, false), usage.usage());
        assertEquals(5, usage.contentChars());
        assertEquals(2, usage.reasoningChars());
        assertEquals(2, usage.toolArgumentChars());
        assertEquals("completed", usage.finishReason());
    }

    @Test
    void shouldForwardTheRequestUntouched() throws InvalidRequestException {
        String body =
                "{\"model\":\"gpt-4o\",\"stream\":true,\"background\":true,"
                        + "\"previous_response_id\":\"resp_0\",\"input\":\"Hi\"}";

        RequestFacts facts = adapter.readRequest(body.getBytes(StandardCharsets.UTF_8));

        assertEquals(body, facts.upstreamBody().toString(StandardCharsets.UTF_8));
        assertTrue(facts.streaming());
        assertFalse(facts.usageAdded());
        assertEquals(2, facts.promptChars());
    }
}
