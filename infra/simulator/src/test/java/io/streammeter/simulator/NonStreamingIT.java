package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class NonStreamingIT extends SimulatorTestBase {

    @Test
    void shouldAnswerAChatCompletionWithTheStreamedTextAndUsage() throws Exception {
        String script = "chunks=4;cached=2";
        HttpResponse<String> response = post(Api.CHAT_COMPLETIONS, script, Bodies.chat(false, ""));
        String streamed =
                String.join(
                        "",
                        OpenAiStreamIT.contents(chatStream(script, Bodies.chat(true, "")).json()));

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        JsonNode completion = SimRequest.json(response.body());
        assertEquals("chat.completion", completion.get("object").asText());
        assertEquals("gpt-4o-mini", completion.get("model").asText());
        assertEquals("assistant", completion.at("/choices/0/message/role").asText());
        assertEquals(streamed, completion.at("/choices/0/message/content").asText());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
        assertEquals(
                OpenAiStreamIT.usageJson(Bodies.chat(false, ""), Script.parse(script)),
                completion.get("usage"));
    }

    @Test
    void shouldAnswerAToolCallAndEveryChoice() throws Exception {
        HttpResponse<String> response =
                post(Api.CHAT_COMPLETIONS, "tools=2", Bodies.chat(false, "\"n\":2"));

        JsonNode choices = SimRequest.json(response.body()).get("choices");
        assertEquals(2, choices.size(), response.body());
        for (JsonNode choice : choices) {
            JsonNode call = choice.at("/message/tool_calls/0");
            assertEquals("simulated_tool", call.at("/function/name").asText(), response.body());
            assertEquals(
                    16,
                    SimRequest.json(call.at("/function/arguments").asText())
                            .get("arg")
                            .asText()
                            .length());
            assertTrue(choice.at("/message/content").isNull());
            assertEquals("tool_calls", choice.get("finish_reason").asText());
        }
    }

    @Test
    void shouldLeaveUsageOutWhenNever() throws Exception {
        HttpResponse<String> response =
                post(Api.CHAT_COMPLETIONS, "usage=never", Bodies.chat(false, ""));

        assertFalse(SimRequest.json(response.body()).has("usage"), response.body());
    }

    @Test
    void shouldAnswerAnAnthropicMessageWithBlocksAndUsage() throws Exception {
        String script = "thinking=2;cache-read=30;cache-write=20";
        HttpResponse<String> response = post(Api.MESSAGES, script, Bodies.messages(false));

        JsonNode message = SimRequest.json(response.body());
        assertEquals("message", message.get("type").asText(), response.body());
        assertEquals("thinking", message.at("/content/0/type").asText());
        assertEquals(16, message.at("/content/0/thinking").asText().length());
        assertEquals("text", message.at("/content/1/type").asText());
        assertEquals(64, message.at("/content/1/text").asText().length());
        assertEquals("end_turn", message.get("stop_reason").asText());
        SimUsage expected =
                ExpectedUsage.of(Api.MESSAGES, Bodies.messages(false), Script.parse(script));
        JsonNode usage = message.get("usage");
        assertEquals(expected.promptTokens(), usage.get("input_tokens").asLong());
        assertEquals(20, usage.get("cache_creation_input_tokens").asLong());
        assertEquals(30, usage.get("cache_read_input_tokens").asLong());
        assertEquals(4 + 16, usage.get("output_tokens").asLong(), "16/4 thinking + 64/4 text");
    }

    @Test
    void shouldAnswerAnAnthropicToolUse() throws Exception {
        HttpResponse<String> response = post(Api.MESSAGES, "tools=3", Bodies.messages(false));

        JsonNode block = SimRequest.json(response.body()).at("/content/0");
        assertEquals("tool_use", block.get("type").asText(), response.body());
        assertEquals(24, block.at("/input/arg").asText().length());
    }

    @Test
    void shouldCutANonStreamingBodyWhenTruncated() {
        assertThrows(
                IOException.class,
                () -> post(Api.CHAT_COMPLETIONS, "truncate-after=1", Bodies.chat(false, "")),
                "fewer bytes than Content-Length, then a close");
    }
}
