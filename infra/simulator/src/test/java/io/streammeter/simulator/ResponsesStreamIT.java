package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Responses API's odd shapes: usage absent, incomplete, failed, cut, function call. */
class ResponsesStreamIT extends SimulatorTestBase {
    static final String BODY =
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"Hello there\"}";

    private static Sse stream(String script) throws Exception {
        HttpResponse<String> response = post(Api.RESPONSES, script, BODY);
        assertEquals(200, response.statusCode(), response.body());
        return Sse.parse(response.body());
    }

    @Test
    void shouldStreamTypedEventsWithSequenceNumbersAndUsageInTheCompletedResponse()
            throws Exception {
        Sse sse = stream("chunks=3;cached=2;reasoning=1");

        List<String> expected =
                new ArrayList<>(List.of("response.created", "response.output_item.added"));
        expected.addAll(Collections.nCopies(3, "response.output_text.delta"));
        expected.add("response.completed");
        assertEquals(expected, sse.names());
        for (int i = 0; i < sse.events().size(); i++) {
            JsonNode json = sse.events().get(i).json();
            assertEquals(i, json.get("sequence_number").asInt());
            assertEquals(sse.names().get(i), json.get("type").asText());
        }
        SimUsage want =
                ExpectedUsage.of(
                        Api.RESPONSES,
                        SimRequest.json(BODY),
                        Script.parse("chunks=3;cached=2;reasoning=1"));
        JsonNode usage = sse.events().get(5).json().at("/response/usage");
        assertEquals(want.promptTokens(), usage.get("input_tokens").asLong());
        assertEquals(2, usage.at("/input_tokens_details/cached_tokens").asLong());
        assertEquals(want.completionTokens(), usage.get("output_tokens").asLong());
        assertEquals(1, usage.at("/output_tokens_details/reasoning_tokens").asLong());
        assertEquals(want.totalTokens(), usage.get("total_tokens").asLong());
    }

    @Test
    void shouldEndIncompleteOrFailedWithTheUsageSpent() throws Exception {
        JsonNode incomplete = stream("end=incomplete").events().get(10).json();
        JsonNode failed = stream("end=failed").events().get(10).json();

        assertEquals("response.incomplete", incomplete.get("type").asText());
        assertEquals(
                "max_output_tokens", incomplete.at("/response/incomplete_details/reason").asText());
        assertTrue(incomplete.at("/response/usage/output_tokens").asLong() > 0);
        assertEquals("response.failed", failed.get("type").asText());
        assertEquals("server_error", failed.at("/response/error/code").asText());
        assertTrue(failed.at("/response/usage/output_tokens").asLong() > 0);
    }

    @Test
    void shouldLeaveUsageOutWhenUsageNever() throws Exception {
        JsonNode completed = stream("usage=never").events().get(10).json();

        assertTrue(completed.at("/response/usage").isNull(), completed.toString());
    }

    @Test
    void shouldStreamAFunctionCallsArguments() throws Exception {
        Sse sse = stream("tools=2");

        assertEquals("response.function_call_arguments.delta", sse.names().get(2));
        JsonNode item = sse.events().get(1).json().get("item");
        assertEquals("function_call", item.get("type").asText());
        String arguments =
                sse.events().get(2).json().get("delta").asText()
                        + sse.events().get(3).json().get("delta").asText();
        assertEquals(
                arguments, sse.events().get(4).json().at("/response/output/0/arguments").asText());
    }

    @Test
    void shouldEndWithAnErrorEventAfterErrorAfter() throws Exception {
        Sse sse = stream("error-after=2");

        assertEquals("error", sse.names().get(sse.names().size() - 1));
        assertEquals(5, sse.names().size());
    }

    @Test
    void shouldAnswerANonStreamedResponse() throws Exception {
        HttpResponse<String> response =
                post(Api.RESPONSES, "chunks=2", BODY.replace("true", "false"));

        JsonNode json = SimRequest.json(response.body());
        assertEquals("completed", json.get("status").asText());
        assertEquals(16, json.at("/output/0/content/0/text").asText().length());
        assertTrue(json.at("/usage/total_tokens").asLong() > 0);
    }

    @Test
    void shouldRejectEndOnOtherApis() throws Exception {
        assertEquals(
                400, post(Api.CHAT_COMPLETIONS, "end=failed", Bodies.chat(true, "")).statusCode());
    }
}
