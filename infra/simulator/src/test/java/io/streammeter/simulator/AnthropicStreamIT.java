package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamIT extends SimulatorTestBase {

    @Test
    void shouldStreamTheAnthropicEventSequence() throws Exception {
        Sse sse = messagesStream(null);

        List<String> expected =
                new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        expected.addAll(Collections.nCopies(8, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, sse.names());
        for (Sse.Event event : sse.events()) {
            assertEquals(
                    event.name(), event.json().get("type").asText(), "type matches event name");
        }
        JsonNode message = sse.events().get(0).json().get("message");
        assertEquals("claude-sonnet-4-5", message.get("model").asText());
        assertTrue(message.get("id").asText().startsWith("msg_"));
        assertEquals(1, message.at("/usage/output_tokens").asLong());
        JsonNode delta = sse.events().get(3).json();
        assertEquals("text_delta", delta.at("/delta/type").asText());
        assertEquals(8, delta.at("/delta/text").asText().length());
        JsonNode end = sse.events().get(expected.size() - 2).json();
        assertEquals("end_turn", end.at("/delta/stop_reason").asText());
    }

    @Test
    void shouldReportInputInMessageStartAndCumulativeOutputInMessageDelta() throws Exception {
        Sse sse = messagesStream("chunks=10;chunk-chars=6");

        SimUsage expected =
                ExpectedUsage.of(
                        Api.MESSAGES,
                        Bodies.messages(true),
                        Script.parse("chunks=10;chunk-chars=6"));
        JsonNode start = sse.events().get(0).json().at("/message/usage");
        assertEquals(expected.promptTokens(), start.get("input_tokens").asLong(), start.toString());
        JsonNode delta = event(sse, "message_delta").get("usage");
        assertEquals(15, delta.get("output_tokens").asLong(), "ceil(60 / 4), the whole answer");
        assertEquals(expected.completionTokens(), delta.get("output_tokens").asLong());
    }

    @Test
    void shouldStreamAThinkingBlockBeforeTheTextWhenThinking() throws Exception {
        Sse sse = messagesStream("thinking=3;chunks=2");

        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                sse.names());
        List<JsonNode> json = sse.json();
        assertEquals("thinking", json.get(1).at("/content_block/type").asText());
        assertEquals("thinking_delta", json.get(3).at("/delta/type").asText());
        assertEquals(8, json.get(3).at("/delta/thinking").asText().length());
        assertEquals("signature_delta", json.get(6).at("/delta/type").asText());
        assertEquals(
                1, json.get(8).get("index").asInt(), "the text block follows the thinking block");
        assertEquals("text", json.get(8).at("/content_block/type").asText());
        assertEquals(
                6 + 4,
                json.get(12).at("/usage/output_tokens").asLong(),
                "24/4 thinking + 16/4 text");
    }

    @Test
    void shouldStreamToolInputAsJsonDeltasWhenTools() throws Exception {
        String body =
                Bodies.messages(true)
                        .replace(
                                "\"max_tokens\":1024",
                                "\"max_tokens\":1024,\"tools\":[{\"name\":\"lookup\"}]");
        HttpResponse<String> response = post(Api.MESSAGES, "tools=3", body);

        Sse sse = Sse.parse(response.body());
        JsonNode block = sse.json().get(1).get("content_block");
        assertEquals("tool_use", block.get("type").asText(), response.body());
        assertEquals("lookup", block.get("name").asText());
        assertTrue(block.get("id").asText().startsWith("toolu_"));
        StringBuilder partial = new StringBuilder();
        for (JsonNode event : sse.json()) {
            if (event.at("/delta/type").asText().equals("input_json_delta")) {
                partial.append(event.at("/delta/partial_json").asText());
            }
        }
        assertEquals(
                24,
                SimRequest.json(partial.toString()).get("arg").asText().length(),
                partial.toString());
        assertEquals("tool_use", event(sse, "message_delta").at("/delta/stop_reason").asText());
    }

    @Test
    void shouldSendAPingBeforeEveryDeltaWhenPings() throws Exception {
        List<String> names = messagesStream("pings=true;chunks=3").names();

        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "ping",
                        "content_block_delta",
                        "ping",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                names);
    }

    @Test
    void shouldReportCacheReadAndWriteInMessageStart() throws Exception {
        JsonNode usage =
                messagesStream("cache-read=100;cache-write=50").json().get(0).at("/message/usage");

        assertEquals(100, usage.get("cache_read_input_tokens").asLong(), usage.toString());
        assertEquals(50, usage.get("cache_creation_input_tokens").asLong());
    }

    @Test
    void shouldSendAnOverloadedErrorEventAfterErrorAfterDeltas() throws Exception {
        Sse sse = messagesStream("error-after=2");

        List<String> names = sse.names();
        assertEquals("error", names.get(names.size() - 1), names.toString());
        assertEquals(2, names.stream().filter("content_block_delta"::equals).count());
        assertFalse(names.contains("message_stop"));
        assertEquals(
                "overloaded_error", sse.json().get(names.size() - 1).at("/error/type").asText());
    }

    @Test
    void shouldRejectAnOpenAiOnlyKeyOnMessages() throws Exception {
        HttpResponse<String> response = post(Api.MESSAGES, "usage=finish", Bodies.messages(true));

        assertEquals(400, response.statusCode());
        JsonNode error = SimRequest.json(response.body());
        assertEquals("error", error.get("type").asText(), response.body());
        assertTrue(error.at("/error/message").asText().contains("'usage'"), response.body());
    }

    private static JsonNode event(Sse sse, String name) {
        return sse.events().stream()
                .filter(e -> name.equals(e.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + sse))
                .json();
    }
}
