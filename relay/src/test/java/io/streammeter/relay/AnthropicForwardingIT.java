package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v1/messages}: the client sees the upstream's bytes, and usage is metered exactly.
 */
@ExtendWith(KafkaExtension.class)
class AnthropicForwardingIT {
    private static final Pattern EVENT = Pattern.compile("(?m)^event: (\\w+)");
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "anthropic-forwarding");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RecordedStream recorded(Http.Response response) {
        String id = response.streamId();
        assertNotNull(id, "X-Stream-Id on " + response);
        return RecordedStream.of(id, harness.events().awaitEnded(id));
    }

    /** The events of an SSE text that are chunks: all but ping and message_stop. */
    private static int chunkEvents(String sse) {
        Matcher m = EVENT.matcher(sse);
        int chunks = 0;
        while (m.find()) {
            chunks += m.group(1).equals("ping") || m.group(1).equals("message_stop") ? 0 : 1;
        }
        return chunks;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "chunks=12",
                "chunks=6;text=utf8;chunk-chars=5;cache-read=100;cache-write=40",
                "chunks=5;crlf=true;comments=true;pings=true",
                "chunks=3;tools=4",
                "chunks=4;thinking=3;pings=true",
                "chunks=2;gzip=true"
            })
    void shouldForwardExactlyTheUpstreamBytesAndMeterTheUsage(String script) {
        String body = Bodies.messagesStreamed();

        Http.Response relayed = harness.messages(body, script, "Accept-Encoding", "gzip");
        Http.Response direct = harness.directMessages(body, script);

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals(direct.text(), relayed.text(), "client bytes == simulator bytes, " + script);
        assertEquals("text/event-stream", relayed.header("Content-Type"));
        assertNull(relayed.header("Content-Encoding"), "decoded for the client: " + relayed);
        RecordedStream stream = recorded(relayed);
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        stream.assertAnthropicUsage(Harness.reportedMessages(body, script));
        assertEquals(ApiShape.ANTHROPIC_MESSAGES, stream.started().getApiShape());
        assertEquals(Harness.ANTHROPIC_UPSTREAM, stream.started().getUpstream());
        assertEquals(
                chunkEvents(direct.text()),
                stream.ended().getChunkCount(),
                "one chunk per event but ping and message_stop: " + stream);
        assertEquals(
                script.contains("tools") ? "tool_use" : "end_turn",
                stream.ended().getFinishReason());
    }

    @Test
    void shouldCountTextToolInputAndThinkingCharacters() {
        String body = Bodies.messagesStreamed();

        RecordedStream text = recorded(harness.messages(body, "chunks=5;thinking=2"));
        RecordedStream tool = recorded(harness.messages(body, "tools=3;chunk-chars=6"));

        assertEquals(40, text.ended().getContentChars(), text.toString());
        assertEquals(16, text.ended().getReasoningChars(), text.toString());
        assertEquals(0, text.ended().getToolArgumentChars(), text.toString());
        assertEquals(
                "{\"arg\":\"\"}".length() + 3 * 6,
                tool.ended().getToolArgumentChars(),
                tool.toString());
        assertEquals(0, tool.ended().getContentChars(), tool.toString());
    }

    @Test
    void shouldRecordTheDimensionsOfTheRequestInStreamStarted() {
        String body = Bodies.messagesStreamed("\"metadata\":{\"user_id\":\"end-user-7\"}");

        Http.Response relayed =
                harness.messages(
                        body, "chunks=2", "X-Meter-Team", "search", "X-Meter-Project", "ranking");

        RecordedStream stream = recorded(relayed);
        assertEquals(KeyIds.derive(Harness.PEPPER, Harness.KEY), stream.started().getKeyId());
        assertEquals("claude-sonnet-4-5", stream.started().getModelRequested());
        assertEquals("end-user-7", stream.started().getUser());
        assertEquals(Map.of("team", "search", "project", "ranking"), stream.started().getTags());
        assertEquals(23, stream.started().getPromptChars(), stream.toString());
        assertTrue(stream.started().getStreaming());
        assertEquals("claude-sonnet-4-5", stream.ended().getModelReported());
        assertEquals(200, stream.ended().getUpstreamStatus());
    }

    @Test
    void shouldIdentifyABearerTokenAsTheSameKeyAsXApiKey() {
        Http.Response relayed =
                Http.post(
                        harness.url(Harness.MESSAGES),
                        Bodies.messagesStreamed(),
                        "Authorization",
                        "Bearer " + Harness.KEY,
                        "anthropic-version",
                        Harness.ANTHROPIC_VERSION,
                        Script.HEADER,
                        "chunks=1");

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals(
                KeyIds.derive(Harness.PEPPER, Harness.KEY), recorded(relayed).started().getKeyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunks=5;cache-read=7;cache-write=3", "chunks=5;tools=2;gzip=true"})
    void shouldMeterANonStreamedMessageFromItsBody(String script) {
        String body = Bodies.messagesNotStreamed();

        Http.Response relayed = harness.messages(body, script);

        assertEquals(harness.directMessages(body, script).text(), relayed.text());
        assertTrue(
                relayed.header("Content-Type").startsWith("application/json"), relayed.toString());
        RecordedStream stream = recorded(relayed);
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        assertEquals(0, stream.chunks().size(), "a body is no data event");
        stream.assertAnthropicUsage(Harness.reportedMessages(body, script));
        assertTrue(
                stream.ended().getContentChars() + stream.ended().getToolArgumentChars() > 0,
                stream.toString());
    }

    @Test
    void shouldPassAnthropicHeadersAndSendTheRelaysOwnKeyWhenConfigured() {
        AtomicReference<MultiMap> seen = new AtomicReference<>();
        AtomicReference<String> seenUri = new AtomicReference<>();
        HttpServer upstream =
                Harness.await(
                        harness.vertx()
                                .createHttpServer()
                                .requestHandler(
                                        request -> {
                                            seen.set(
                                                    MultiMap.caseInsensitiveMultiMap()
                                                            .addAll(request.headers()));
                                            seenUri.set(request.uri());
                                            request.response()
                                                    .putHeader("Content-Type", "text/event-stream")
                                                    .end(
                                                            "event: message_stop\n"
                                                                    + "data: {\"type\":\"message_stop\"}\n\n");
                                        })
                                .listen(0, "127.0.0.1"));
        URI base = URI.create("http://127.0.0.1:" + upstream.actualPort() + "/anthropic/v1");
        Relay passing = harness.startRelay(Map.of("anthropic.base-url", base.toString()));
        Relay replacing =
                harness.startRelay(
                        Map.of(
                                "anthropic.base-url",
                                base.toString(),
                                "anthropic.api-key",
                                "sk-ant-relay-own-key",
                                "auth.allow-open-proxy",
                                "true"));
        try {
            String[] headers = {
                "x-api-key",
                Harness.KEY,
                "anthropic-version",
                Harness.ANTHROPIC_VERSION,
                "anthropic-beta",
                "prompt-caching-2024-07-31",
                "X-Meter-Team",
                "search"
            };
            Http.Response passed =
                    Http.post(
                            Harness.url(passing, Harness.MESSAGES + "?beta=true"),
                            Bodies.messagesStreamed(),
                            headers);
            assertEquals(200, passed.status(), passed.toString());
            assertEquals("/anthropic/v1/messages?beta=true", seenUri.get());
            assertEquals(Harness.KEY, seen.get().get("x-api-key"));
            assertEquals(Harness.ANTHROPIC_VERSION, seen.get().get("anthropic-version"));
            assertEquals("prompt-caching-2024-07-31", seen.get().get("anthropic-beta"));
            assertNull(seen.get().get("X-Meter-Team"), "tag headers stay with the relay");

            Http.Response replaced =
                    Http.post(
                            Harness.url(replacing, Harness.MESSAGES),
                            Bodies.messagesStreamed(),
                            headers);
            assertEquals("sk-ant-relay-own-key", seen.get().get("x-api-key"));
            assertEquals("prompt-caching-2024-07-31", seen.get().get("anthropic-beta"));
            RecordedStream stream = recorded(replaced);
            assertEquals(KeyIds.derive(Harness.PEPPER, Harness.KEY), stream.started().getKeyId());
            assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        } finally {
            Harness.await(passing.shutdown());
            Harness.await(replacing.shutdown());
            Harness.await(upstream.close());
        }
    }
}
