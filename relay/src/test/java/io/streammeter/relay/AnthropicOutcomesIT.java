package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.RawClient;
import io.streammeter.relay.support.RecordedStream;
import io.vertx.core.Future;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every outcome of {@code POST /v1/messages}: what the client sees (errors in Anthropic's shape),
 * and the one ending published.
 */
@ExtendWith(KafkaExtension.class)
class AnthropicOutcomesIT {
    private static final String TIMEOUT_EVENT =
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"timeout_error\","
                    + "\"message\":\"The upstream sent nothing for 500 ms.\"}}\n\n";
    private static final String SHUTDOWN_EVENT =
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                    + "\"message\":\"The relay is shutting down.\"}}\n\n";
    private static final String LONG = "chunks=30;delay-ms=20";
    private static final int LONG_CHUNKS = 34; // start, block start, 30 deltas, block stop, delta
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness =
                Harness.start(
                        kafka,
                        "anthropic-outcomes",
                        Map.of(
                                "upstream.idle-timeout",
                                "500ms",
                                "request.max-body-bytes",
                                "16KiB"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RawClient raw(int port, String body, String script) {
        return RawClient.post(port, Harness.MESSAGES, body, 0, Harness.anthropicHeaders(script))
                .readHead();
    }

    /** Opens a stream through {@code relay}, reads until the first text, and leaves. */
    private static String leaveAfterFirstText(Relay relay) {
        try (RawClient client = raw(relay.port(), Bodies.messagesStreamed(), LONG)) {
            assertTrue(client.readUntil("\"text_delta\""), client.text());
            return client.header("X-Stream-Id");
        }
    }

    @Test
    void shouldForwardAnUpstreamErrorStatusWithItsBody() {
        String body = Bodies.messagesStreamed();

        Http.Response relayed = harness.messages(body, "status=529");

        assertEquals(529, relayed.status(), relayed.toString());
        assertEquals(harness.directMessages(body, "status=529").text(), relayed.text());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_ERROR, stream.outcome(), stream.toString());
        assertEquals(529, stream.ended().getUpstreamStatus());
        assertTrue(
                stream.ended().getErrorText().startsWith("HTTP 529: overloaded_error: Simulated"),
                stream.toString());
        assertNull(stream.ended().getUsage());
    }

    @Test
    void shouldCountEndingsAndChunksUnderTheMessagesApi() {
        Http.Response relayed = harness.messages(Bodies.messagesStreamed(), "chunks=3");
        harness.recorded(relayed.streamId()); // ended: its meters are counted by now

        assertTrue(
                harness.metric(
                                "relay_streams_ended_total{api=\"anthropic_messages\",outcome=\"completed\"}")
                        >= 1);
        assertTrue(harness.metric("relay_chunks_total{api=\"anthropic_messages\"}") >= 3);
        assertEquals(
                0,
                harness.metric(
                        "relay_streams_ended_total{api=\"openai_chat_completions\",outcome=\"completed\"}"),
                "only messages went through this relay");
    }

    @Test
    void shouldEndAsUpstreamErrorOnAnErrorEventInTheStream() {
        String body = Bodies.messagesStreamed();
        String script = "chunks=5;error-after=2";

        Http.Response relayed = harness.messages(body, script);

        assertEquals(harness.directMessages(body, script).text(), relayed.text());
        assertTrue(relayed.text().contains("event: error\n"), relayed.text());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_ERROR, stream.outcome(), stream.toString());
        assertEquals(200, stream.ended().getUpstreamStatus());
        assertEquals("overloaded_error: Overloaded", stream.ended().getErrorText());
        stream.assertAnthropicUsage(Harness.reportedMessages(body, script));
        assertEquals(1, stream.ended().getUsage().getCompletionTokens(), "message_start's count");
    }

    @Test
    void shouldEndANonStreamedRequestThatFailsAsUpstreamError() {
        Http.Response relayed = harness.messages(Bodies.messagesNotStreamed(), "error-after=1");

        assertEquals(529, relayed.status(), relayed.toString());
        assertEquals(Outcome.UPSTREAM_ERROR, harness.recorded(relayed.streamId()).outcome());
    }

    @Test
    void shouldMirrorATruncatedUpstreamToTheClient() {
        String body = Bodies.messagesStreamed();
        String script = "chunks=6;truncate-after=3";

        RawClient relayed = raw(harness.relay().port(), body, script).readToEnd();
        RawClient direct = raw(harness.simulator().port(), body, script).readToEnd();

        assertFalse(
                relayed.endedCleanly(), "a broken stream for the client too: " + relayed.text());
        assertEquals(direct.text(), relayed.text());
        RecordedStream stream = harness.recorded(relayed.header("X-Stream-Id"));
        assertEquals(Outcome.UPSTREAM_TRUNCATED, stream.outcome(), stream.toString());
        assertEquals(5, stream.ended().getChunkCount(), "start, block start, 3 deltas: " + stream);
        stream.assertAnthropicUsage(Harness.reportedMessages(body, script));
    }

    @Test
    void shouldEndAStalledStreamWithAnAnthropicErrorEvent() {
        Http.Response relayed =
                harness.messages(Bodies.messagesStreamed(), "chunks=6;stall-after=2");

        assertTrue(relayed.text().endsWith(TIMEOUT_EVENT), relayed.toString());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_TIMEOUT, stream.outcome(), stream.toString());
        assertEquals(4, stream.ended().getChunkCount(), "start, block start, 2 deltas: " + stream);
        assertEquals(200, stream.ended().getUpstreamStatus());
    }

    @Test
    void shouldAnswer504InAnthropicShapeWhenTheUpstreamSendsNoResponseInTime() {
        Http.Response relayed =
                harness.messages(Bodies.messagesStreamed(), "status=500;first-delay-ms=3000");

        assertEquals(504, relayed.status(), relayed.toString());
        assertEquals(
                "{\"type\":\"error\",\"error\":{\"type\":\"timeout_error\","
                        + "\"message\":\"The upstream sent nothing for 500 ms.\"}}",
                relayed.text());
        assertEquals(Outcome.UPSTREAM_TIMEOUT, harness.recorded(relayed.streamId()).outcome());
    }

    @Test
    void shouldAnswer502FromItsOwnUpstreamWhenTheAnthropicUpstreamCannotBeReached()
            throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Relay unreachable =
                harness.startRelay(
                        Map.of("anthropic.base-url", "http://127.0.0.1:" + closed + "/v1"));
        try {
            Http.Response relayed =
                    Http.post(
                            Harness.url(unreachable, Harness.MESSAGES),
                            Bodies.messagesStreamed(),
                            Harness.anthropicHeaders("chunks=1"));
            Http.Response chat =
                    Http.post(
                            Harness.url(unreachable, Harness.CHAT),
                            Bodies.streamedWithUsage(),
                            "Authorization",
                            "Bearer " + Harness.KEY);

            assertEquals(502, relayed.status(), relayed.toString());
            assertEquals(
                    "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":"
                            + "\"The relay could not reach the upstream 'simulator-anthropic'.\"}}",
                    relayed.text());
            assertEquals(200, chat.status(), "the OpenAI upstream is configured apart: " + chat);
            RecordedStream stream = harness.recorded(relayed.streamId());
            assertEquals(Outcome.UPSTREAM_ERROR, stream.outcome(), stream.toString());
            assertNull(stream.ended().getUpstreamStatus(), stream.toString());
        } finally {
            Harness.await(unreachable.shutdown());
        }
    }

    @Test
    void shouldRejectInvalidBodiesInAnthropicShape() {
        Http.Response notJson = harness.messages("{\"model\": \"m\", \"messages\": [", "");
        Http.Response noMessages = harness.messages("{\"model\":\"m\",\"max_tokens\":1}", "");
        Http.Response tooLarge =
                harness.messages(
                        Bodies.messagesStreamed(
                                "\"metadata\":{\"pad\":\"" + "x".repeat(20_000) + "\"}"),
                        "");

        assertEquals(400, notJson.status(), notJson.toString());
        assertTrue(
                notJson.text()
                        .startsWith(
                                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                                        + "\"message\":\"We could not parse the JSON body"),
                notJson.toString());
        assertEquals(
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"messages: Field required\"}}",
                noMessages.text());
        assertEquals(413, tooLarge.status(), tooLarge.toString());
        assertTrue(tooLarge.text().contains("\"type\":\"request_too_large\""), tooLarge.text());
        for (Http.Response rejected : new Http.Response[] {notJson, noMessages, tooLarge}) {
            RecordedStream stream = harness.recorded(rejected.streamId());
            assertEquals(Outcome.REJECTED, stream.outcome(), stream.toString());
            assertEquals(ApiShape.ANTHROPIC_MESSAGES, stream.started().getApiShape());
        }
    }

    @Test
    void shouldAnswer401InAnthropicShapeWithoutPublishingAnything() {
        Http.Response anonymous =
                Http.post(
                        harness.url(Harness.MESSAGES),
                        Bodies.messagesStreamed(),
                        "anthropic-version",
                        Harness.ANTHROPIC_VERSION);
        Http.Response wrongMethod = Http.get(harness.url(Harness.MESSAGES));

        assertEquals(401, anonymous.status(), anonymous.toString());
        assertEquals(
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                        + "\"message\":\"x-api-key header is required\"}}",
                anonymous.text());
        assertNotNull(anonymous.streamId(), "X-Stream-Id on every response");
        assertEquals(405, wrongMethod.status(), wrongMethod.toString());
        assertTrue(wrongMethod.text().startsWith("{\"type\":\"error\""), wrongMethod.text());
        // A stream published after it has ended: anything of the 401's would have been read.
        harness.recorded(harness.messages(Bodies.messagesStreamed(), "chunks=1").streamId());
        assertEquals(0, harness.events().events(anonymous.streamId()).size());
    }

    @Test
    void shouldDrainTheUpstreamAfterADisconnectSoTheFinalUsageArrives() {
        String id = leaveAfterFirstText(harness.relay());

        RecordedStream stream = harness.recorded(id);
        assertEquals(Outcome.CLIENT_DISCONNECTED, stream.outcome(), stream.toString());
        stream.assertAnthropicUsage(Harness.reportedMessages(Bodies.messagesStreamed(), LONG));
        assertEquals(LONG_CHUNKS, stream.ended().getChunkCount(), stream.toString());
    }

    @Test
    void shouldCancelTheUpstreamAtOnceAndKeepOnlyTheStartsUsage() {
        Relay cancelling = harness.startRelay(Map.of("disconnect.policy", "cancel"));
        long abandonedBefore = harness.simulator().stats().streamsAbandoned();
        try {
            String id = leaveAfterFirstText(cancelling);

            RecordedStream stream = harness.recorded(id);
            assertEquals(Outcome.CLIENT_DISCONNECTED, stream.outcome(), stream.toString());
            assertTrue(stream.ended().getChunkCount() < LONG_CHUNKS, stream.toString());
            assertEquals(
                    1,
                    stream.ended().getUsage().getCompletionTokens(),
                    "message_start's output count, a lower bound: " + stream);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> harness.simulator().stats().streamsAbandoned() > abandonedBefore);
        } finally {
            Harness.await(cancelling.shutdown());
        }
    }

    @Test
    void shouldEndAStreamStillRunningAtShutdownWithAnAnthropicErrorEvent() {
        Relay relay = harness.startRelay(Map.of("shutdown.grace", "200ms"));
        try (RawClient client =
                raw(relay.port(), Bodies.messagesStreamed(), "chunks=200;delay-ms=50")) {
            assertTrue(client.readUntil("\"text_delta\""), client.text());

            Future<Void> stopped = relay.shutdown();

            client.readToEnd();
            assertTrue(
                    client.endedCleanly() && client.text().endsWith(SHUTDOWN_EVENT), client.text());
            Harness.await(stopped);
            RecordedStream stream = harness.recorded(client.header("X-Stream-Id"));
            assertEquals(Outcome.RELAY_SHUTDOWN, stream.outcome(), stream.toString());
        }
    }
}
