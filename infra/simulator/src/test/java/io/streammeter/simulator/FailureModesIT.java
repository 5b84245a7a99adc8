package io.streammeter.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class FailureModesIT extends SimulatorTestBase {

    @Test
    void shouldAnswerTheScriptedStatusWithAnOpenAiErrorBody() throws Exception {
        HttpResponse<String> response =
                post(Api.CHAT_COMPLETIONS, "status=429", Bodies.chat(true, ""));

        assertEquals(429, response.statusCode());
        JsonNode error = SimRequest.json(response.body()).get("error");
        assertEquals(
                List.of("message", "type", "param", "code"), fieldNames(error), response.body());
        assertEquals("rate_limit_exceeded", error.get("code").asText());
        assertTrue(error.get("param").isNull());
    }

    @Test
    void shouldAnswerTheScriptedStatusWithAnAnthropicErrorBodyOnMessages() throws Exception {
        HttpResponse<String> response = post(Api.MESSAGES, "status=529", Bodies.messages(true));

        assertEquals(529, response.statusCode());
        JsonNode body = SimRequest.json(response.body());
        assertEquals("error", body.get("type").asText(), response.body());
        assertEquals("overloaded_error", body.at("/error/type").asText());
        assertFalse(body.at("/error/message").asText().isEmpty());
    }

    @Test
    void shouldRejectABadScriptWithA400NamingTheKey() throws Exception {
        HttpResponse<String> unknown =
                post(Api.CHAT_COMPLETIONS, "chunkz=3", Bodies.chat(true, ""));
        HttpResponse<String> badValue =
                post(Api.CHAT_COMPLETIONS, "chunks=many", Bodies.chat(true, ""));

        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown script key 'chunkz'"), unknown.body());
        assertEquals("X-Sim-Script", SimRequest.json(unknown.body()).at("/error/param").asText());
        assertEquals(400, badValue.statusCode());
        assertTrue(
                badValue.body().contains("'chunks' needs a whole number, got 'many'"),
                badValue.body());
    }

    @Test
    void shouldRejectABodyThatIsNotARequest() throws Exception {
        HttpResponse<String> notJson = post(Api.CHAT_COMPLETIONS, null, "{not json");
        HttpResponse<String> noModel = post(Api.CHAT_COMPLETIONS, null, "{\"messages\":[]}");

        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("not valid JSON"), notJson.body());
        assertEquals(400, noModel.statusCode());
        assertTrue(noModel.body().contains("'model' is required"), noModel.body());
    }

    @Test
    void shouldCloseTheConnectionWithoutAnEndAfterTruncateAfterChunks() throws Exception {
        Wire wire =
                Wire.post(
                        simulator.port(),
                        Api.CHAT_COMPLETIONS.path(),
                        "truncate-after=3",
                        Bodies.chat(true, ""));

        assertFalse(wire.terminated(), "no last chunk: the stream is cut, not ended");
        Sse sse = Sse.parse(wire.bodyText());
        assertEquals(1 + 3, sse.events().size(), wire.bodyText());
        assertFalse(sse.endsWithDone());
        assertThrows(
                IOException.class,
                () -> post(Api.CHAT_COMPLETIONS, "truncate-after=3", Bodies.chat(true, "")),
                "a client library sees a broken stream");
    }

    @Test
    void shouldStallAfterStallAfterChunksUntilTheClientLeaves() throws Exception {
        long interruptedBefore = simulator.stats().streamsInterrupted();
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            Wire.send(
                    socket,
                    Api.CHAT_COMPLETIONS.path(),
                    "stall-after=2",
                    Bodies.chat(true, ""),
                    "keep-alive");
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(10_000);
            String received = readUntil(in, "data: ", 3);

            assertEquals(3, received.split("data: ", -1).length - 1, received);
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, in::read, "nothing after the stall");
            assertEquals(interruptedBefore, simulator.stats().streamsInterrupted(), "still open");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> simulator.stats().streamsInterrupted() == interruptedBefore + 1);
    }

    @Test
    void shouldGzipTheBodyWhenAskedAndAccepted() throws Exception {
        String body = Bodies.chat(true, "");
        HttpResponse<byte[]> gzipped =
                http.send(
                        request(Api.CHAT_COMPLETIONS, "gzip=true", body)
                                .header("Accept-Encoding", "gzip")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> plain = postBytes(Api.CHAT_COMPLETIONS, "gzip=true", body);

        assertEquals("gzip", gzipped.headers().firstValue("content-encoding").orElse(""));
        assertFalse(
                plain.headers().firstValue("content-encoding").isPresent(),
                "not accepted, not gzipped");
        assertArrayEquals(plain.body(), gunzip(gzipped.body()));
    }

    @Test
    void shouldAnswerAnUnknownRouteWithAJson404() throws Exception {
        HttpResponse<String> response =
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(
                                                simulator.baseUrl() + "/v1/completions"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode());
        assertEquals("unknown_url", SimRequest.json(response.body()).at("/error/code").asText());
    }

    private static String readUntil(InputStream in, String marker, int times) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (true) {
            String text = seen.toString(StandardCharsets.UTF_8);
            if (text.split(marker, -1).length - 1 >= times && text.endsWith("\n\r\n")) {
                return text;
            }
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after: " + text);
            }
            seen.write(b);
        }
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
