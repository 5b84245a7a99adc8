package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamIT extends SimulatorTestBase {

    @Test
    void shouldStreamTheDefaultScriptAsOpenAiDoes() throws Exception {
        HttpResponse<String> response = post(Api.CHAT_COMPLETIONS, null, Bodies.chat(true, ""));

        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
        Sse sse = Sse.parse(response.body());
        List<JsonNode> chunks = sse.json();
        assertEquals(1 + 8 + 1, chunks.size(), response.body());
        JsonNode first = chunks.get(0);
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals("gpt-4o-mini", first.get("model").asText());
        assertTrue(first.get("id").asText().startsWith("chatcmpl-"), response.body());
        assertEquals(
                "{\"role\":\"assistant\",\"content\":\"\"}",
                first.at("/choices/0/delta").toString());
        assertTrue(first.at("/choices/0/finish_reason").isNull());
        for (JsonNode chunk : chunks.subList(1, 9)) {
            assertEquals(
                    8, chunk.at("/choices/0/delta/content").asText().length(), chunk.toString());
        }
        JsonNode finish = chunks.get(9);
        assertEquals("{}", finish.at("/choices/0/delta").toString());
        assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
        assertTrue(sse.endsWithDone(), response.body());
        assertFalse(
                response.body().contains("\"usage\""), "no usage unless asked: " + response.body());
    }

    @Test
    void shouldSendTheScriptedNumberAndSizeOfChunks() throws Exception {
        List<JsonNode> chunks = chatStream("chunks=5;chunk-chars=3", Bodies.chat(true, "")).json();

        List<String> contents = contents(chunks);
        assertEquals(5, contents.size(), chunks.toString());
        contents.forEach(c -> assertEquals(3, c.length(), c));
    }

    @Test
    void shouldSendMultiByteTextWhenTextIsUtf8() throws Exception {
        HttpResponse<byte[]> response =
                postBytes(
                        Api.CHAT_COMPLETIONS,
                        "text=utf8;chunks=12;chunk-chars=5",
                        Bodies.chat(true, ""));

        String body = new String(response.body(), StandardCharsets.UTF_8);
        List<String> contents = contents(Sse.parse(body).json());
        contents.forEach(c -> assertEquals(5, c.codePointCount(0, c.length()), c));
        String text = String.join("", contents);
        for (String expected : List.of("é", "€", "😀")) {
            assertTrue(text.contains(expected), "missing " + expected + " in " + text);
        }
        assertTrue(
                contains(response.body(), "😀".getBytes(StandardCharsets.UTF_8)),
                "4-byte UTF-8 on the wire");
    }

    @Test
    void shouldSendUsageChunkAndNullUsageWhenAutoAndIncludeUsage() throws Exception {
        Sse sse = chatStream(null, Bodies.chatWithUsage());

        List<JsonNode> chunks = sse.json();
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals(0, last.get("choices").size(), last.toString());
        assertEquals(usageJson(Bodies.chatWithUsage(), Script.DEFAULT), last.get("usage"));
        chunks.subList(0, chunks.size() - 1)
                .forEach(c -> assertTrue(c.get("usage").isNull(), "usage:null on " + c));
        assertTrue(sse.endsWithDone());
    }

    @Test
    void shouldSendSeparateUsageChunkWhenSeparateEvenIfNotAsked() throws Exception {
        List<JsonNode> chunks = chatStream("usage=separate", Bodies.chat(true, "")).json();

        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals(0, last.get("choices").size(), last.toString());
        assertEquals(
                usageJson(Bodies.chat(true, ""), Script.parse("usage=separate")),
                last.get("usage"));
    }

    @Test
    void shouldAttachUsageToTheFinishChunkWhenFinish() throws Exception {
        String body = Bodies.chatWithUsage();
        List<JsonNode> chunks = chatStream("usage=finish", body).json();

        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("stop", last.at("/choices/0/finish_reason").asText(), chunks.toString());
        assertEquals(usageJson(body, Script.parse("usage=finish")), last.get("usage"));
        chunks.subList(0, chunks.size() - 1)
                .forEach(c -> assertFalse(c.has("usage"), c.toString()));
    }

    @Test
    void shouldSendCumulativeUsageOnEveryChunkWhenEvery() throws Exception {
        String body = Bodies.chat(true, "");
        List<JsonNode> chunks = chatStream("usage=every;chunks=6;chunk-chars=6", body).json();

        long previous = -1;
        long prompt = chunks.get(0).at("/usage/prompt_tokens").asLong();
        for (JsonNode chunk : chunks) {
            long completion = chunk.at("/usage/completion_tokens").asLong();
            assertTrue(completion >= previous, "completion_tokens must grow: " + chunks);
            assertEquals(prompt, chunk.at("/usage/prompt_tokens").asLong());
            previous = completion;
        }
        assertTrue(previous > chunks.get(0).at("/usage/completion_tokens").asLong());
        assertEquals(
                usageJson(body, Script.parse("usage=every;chunks=6;chunk-chars=6")),
                chunks.get(chunks.size() - 1).get("usage"));
    }

    @Test
    void shouldSendNoUsageWhenNeverEvenIfAsked() throws Exception {
        HttpResponse<String> response =
                post(Api.CHAT_COMPLETIONS, "usage=never", Bodies.chatWithUsage());

        assertFalse(response.body().contains("usage"), response.body());
        assertTrue(Sse.parse(response.body()).endsWithDone());
    }

    @Test
    void shouldStreamToolCallArgumentsInFragmentsWhenTools() throws Exception {
        String body =
                Bodies.chat(
                        true,
                        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]");
        List<JsonNode> chunks = chatStream("tools=4", body).json();

        JsonNode call = chunks.get(0).at("/choices/0/delta/tool_calls/0");
        assertEquals("get_weather", call.at("/function/name").asText(), chunks.toString());
        assertEquals("function", call.get("type").asText());
        assertTrue(call.get("id").asText().startsWith("call_"));
        StringBuilder arguments = new StringBuilder();
        for (JsonNode chunk : chunks.subList(1, 5)) {
            arguments.append(chunk.at("/choices/0/delta/tool_calls/0/function/arguments").asText());
        }
        assertEquals(32, SimRequest.json(arguments.toString()).get("arg").asText().length());
        assertEquals("tool_calls", chunks.get(5).at("/choices/0/finish_reason").asText());
        assertEquals(6, chunks.size(), chunks.toString());
    }

    @Test
    void shouldStreamEveryChoiceWhenNIsAboveOne() throws Exception {
        List<JsonNode> chunks = chatStream("chunks=4", Bodies.chat(true, "\"n\":3")).json();

        for (int choice = 0; choice < 3; choice++) {
            int index = choice;
            List<JsonNode> mine =
                    chunks.stream().filter(c -> c.at("/choices/0/index").asInt() == index).toList();
            assertEquals(1 + 4 + 1, mine.size(), "chunks of choice " + index + ": " + chunks);
            assertEquals("assistant", mine.get(0).at("/choices/0/delta/role").asText());
            assertEquals("stop", mine.get(5).at("/choices/0/finish_reason").asText());
        }
    }

    @Test
    void shouldReportCachedAndReasoningTokens() throws Exception {
        List<JsonNode> chunks = chatStream("cached=7;reasoning=11", Bodies.chatWithUsage()).json();

        JsonNode usage = chunks.get(chunks.size() - 1).get("usage");
        assertEquals(
                7, usage.at("/prompt_tokens_details/cached_tokens").asLong(), usage.toString());
        assertEquals(11, usage.at("/completion_tokens_details/reasoning_tokens").asLong());
        assertEquals(11 + 16, usage.get("completion_tokens").asLong(), "reasoning + 64 chars / 4");
    }

    @Test
    void shouldUseCrlfLineEndingsWhenCrlf() throws Exception {
        String body = post(Api.CHAT_COMPLETIONS, "crlf=true", Bodies.chat(true, "")).body();

        assertTrue(body.endsWith("data: [DONE]\r\n\r\n"), body);
        assertFalse(body.replace("\r\n", "").contains("\n"), "a bare LF in: " + body);
        assertEquals(11, Sse.parse(body).events().size());
    }

    @Test
    void shouldInterleaveCommentLinesWhenComments() throws Exception {
        Sse plain = chatStream(null, Bodies.chat(true, ""));
        Sse commented = chatStream("comments=true", Bodies.chat(true, ""));

        assertEquals(plain.events(), commented.events());
        assertEquals(commented.events().size(), commented.comments());
    }

    @Test
    void shouldSendAnErrorEventAndEndAfterErrorAfterChunks() throws Exception {
        HttpResponse<String> response =
                post(Api.CHAT_COMPLETIONS, "error-after=3", Bodies.chat(true, ""));

        Sse sse = Sse.parse(response.body());
        assertEquals(3, contents(sse.json()).size(), response.body());
        JsonNode last = sse.json().get(sse.json().size() - 1);
        assertEquals("server_error", last.at("/error/type").asText(), response.body());
        assertFalse(sse.endsWithDone(), response.body());
        assertFalse(response.body().contains("finish_reason\":\"stop"), response.body());
    }

    @Test
    void shouldSendIdenticalBytesForIdenticalRequests() throws Exception {
        String script = "chunks=6;usage=every;text=utf8;tools=2";
        byte[] first = postBytes(Api.CHAT_COMPLETIONS, script, Bodies.chat(true, "")).body();
        byte[] second = postBytes(Api.CHAT_COMPLETIONS, script, Bodies.chat(true, "")).body();
        byte[] other =
                postBytes(Api.CHAT_COMPLETIONS, script, Bodies.chat(true, "\"user\":\"u2\""))
                        .body();

        assertArrayEquals(first, second);
        assertNotEquals(
                Sse.parse(new String(first, StandardCharsets.UTF_8)).json().get(0).get("id"),
                Sse.parse(new String(other, StandardCharsets.UTF_8)).json().get(0).get("id"));
    }

    static List<String> contents(List<JsonNode> chunks) {
        return chunks.stream()
                .map(c -> c.at("/choices/0/delta/content"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    static JsonNode usageJson(String body, Script script) {
        SimUsage u = ExpectedUsage.of(Api.CHAT_COMPLETIONS, body, script);
        StringBuilder json = new StringBuilder();
        OpenAiStream.appendUsage(json, u);
        return SimRequest.json(json.toString());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
