package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.LogCapture;
import io.streammeter.relay.support.RawClient;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every outcome but disconnect and shutdown: what the client sees, and the one ending published.
 */
@ExtendWith(KafkaExtension.class)
class OutcomesIT {
    private static final String TIMEOUT_EVENT =
            "data: {\"error\":{\"message\":\"The upstream sent nothing"
                    + " for 500 ms.\",\"type\":\"upstream_error\",\"param\":null,\"code\":\"upstream_timeout\"}}\n\n";
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness =
                Harness.start(
                        kafka,
                        "outcomes",
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

    @Test
    void shouldForwardAnUpstreamErrorStatusWithItsBody() {
        String body = Bodies.streamed();

        Http.Response relayed = harness.chat(body, "status=429");

        Http.Response direct = harness.direct(body, "status=429");
        assertEquals(429, relayed.status(), relayed.toString());
        assertEquals(direct.text(), relayed.text());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_ERROR, stream.outcome(), stream.toString());
        assertEquals(429, stream.ended().getUpstreamStatus());
        assertTrue(stream.ended().getErrorText().startsWith("HTTP 429: "), stream.toString());
        assertNull(stream.ended().getUsage());
    }

    @Test
    void shouldEndAsUpstreamErrorOnAnErrorEventInTheStream() {
        String body = Bodies.streamedWithUsage();

        Http.Response relayed = harness.chat(body, "chunks=5;error-after=2");

        assertEquals(harness.direct(body, "chunks=5;error-after=2").text(), relayed.text());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_ERROR, stream.outcome(), stream.toString());
        assertEquals(200, stream.ended().getUpstreamStatus());
        assertTrue(
                stream.ended().getErrorText().contains("The server had an error"),
                stream.toString());
    }

    @Test
    void shouldMirrorATruncatedUpstreamToTheClient() {
        String body = Bodies.streamedWithUsage();
        String script = "chunks=6;truncate-after=3";

        RawClient relayed =
                RawClient.post(
                                harness.relay().port(),
                                Harness.CHAT,
                                body,
                                0,
                                "Authorization",
                                "Bearer " + Harness.KEY,
                                Script.HEADER,
                                script)
                        .readHead()
                        .readToEnd();
        RawClient direct =
                RawClient.post(
                                harness.simulator().port(),
                                Harness.CHAT,
                                body,
                                0,
                                "Authorization",
                                "Bearer " + Harness.KEY,
                                Script.HEADER,
                                script)
                        .readHead()
                        .readToEnd();

        assertFalse(
                relayed.endedCleanly(), "the client sees a broken stream too: " + relayed.text());
        assertEquals(direct.text(), relayed.text());
        RecordedStream stream = harness.recorded(relayed.header("X-Stream-Id"));
        assertEquals(Outcome.UPSTREAM_TRUNCATED, stream.outcome(), stream.toString());
        assertNull(stream.ended().getUsage());
        assertEquals(4, stream.ended().getChunkCount(), "role + 3 content chunks: " + stream);
    }

    @Test
    void shouldEndAStalledStreamWithAnErrorEvent() {
        Http.Response relayed = harness.chat(Bodies.streamedWithUsage(), "chunks=6;stall-after=2");

        assertTrue(relayed.text().endsWith(TIMEOUT_EVENT), relayed.toString());
        assertEquals(
                3,
                relayed.text().split("data: \\{\"id\"").length - 1,
                "role + 2 chunks, then the error");
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_TIMEOUT, stream.outcome(), stream.toString());
        assertEquals(3, stream.ended().getChunkCount());
        assertEquals(200, stream.ended().getUpstreamStatus());
    }

    @Test
    void shouldAnswer504WhenTheUpstreamSendsNoResponseInTime() {
        Http.Response relayed = harness.chat(Bodies.streamed(), "status=500;first-delay-ms=3000");

        assertEquals(504, relayed.status(), relayed.toString());
        assertTrue(relayed.text().contains("\"code\":\"upstream_timeout\""), relayed.toString());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_TIMEOUT, stream.outcome(), stream.toString());
        assertNull(stream.ended().getUpstreamStatus());
        assertNull(stream.ended().getTimeToFirstChunkMillis());
    }

    @Test
    void shouldLeaveRotationOnADegradedUpstreamOnlyWhenConfiguredAndLogNoAccessWhenOff()
            throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Relay strict =
                harness.startRelay(
                        Map.of(
                                "upstream.base-url",
                                "http://127.0.0.1:" + closed + "/v1",
                                "readiness.upstream-required",
                                "true",
                                "access-log",
                                "false"));
        try (LogCapture log = new LogCapture()) {
            Http.Response relayed =
                    Http.post(
                            Harness.url(strict, Harness.CHAT),
                            Bodies.streamed(),
                            "Authorization",
                            "Bearer " + Harness.KEY);
            assertEquals(502, relayed.status(), relayed.toString());

            Http.Response ready = Http.get(Harness.url(strict, "/readyz"));
            assertEquals(503, ready.status(), ready.text());
            assertTrue(ready.text().contains("\"status\":\"not_ready\""), ready.text());
            assertTrue(ready.text().contains("\"state\":\"degraded\""), ready.text());
            harness.recorded(relayed.streamId()); // the ending was published ...
            assertFalse(log.text().contains("access stream="), log.text()); // ... and not logged
        } finally {
            Harness.await(strict.shutdown());
        }
    }

    @Test
    void shouldAnswer502WhenTheUpstreamCannotBeReached() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Relay unreachable =
                harness.startRelay(
                        Map.of("upstream.base-url", "http://127.0.0.1:" + closed + "/v1"));
        try (LogCapture log = new LogCapture()) {
            Http.Response relayed =
                    Http.post(
                            Harness.url(unreachable, Harness.CHAT),
                            Bodies.streamed(),
                            "Authorization",
                            "Bearer " + Harness.KEY);

            assertEquals(502, relayed.status(), relayed.toString());
            Http.Response ready = Http.get(Harness.url(unreachable, "/readyz"));
            assertEquals(200, ready.status(), "a failing upstream does not take the relay out");
            assertTrue(ready.text().contains("\"status\":\"degraded\""), ready.text());
            assertTrue(
                    ready.text()
                            .contains(
                                    "\"simulator\":{\"state\":\"degraded\",\"reason\":\"unreachable"),
                    ready.text());
            String metrics = Http.get(Harness.url(unreachable, "/metrics")).text();
            assertTrue(
                    metrics.contains(
                            "relay_upstream_failures_total{api=\"openai_chat_completions\",kind=\"unreachable\"} 1.0"),
                    metrics);
            String text = log.text();
            assertTrue(
                    text.contains(
                            "WARN io.streammeter.relay.upstream.UpstreamHealth Upstream simulator: unreachable x1"),
                    text);
            assertTrue(
                    text.lines()
                            .anyMatch(
                                    l ->
                                            l.startsWith(
                                                            "INFO io.streammeter.relay.access stream="
                                                                    + relayed.streamId())
                                                    && l.contains(
                                                            " outcome=upstream_error upstream_status=-")),
                    text);
            assertFalse(text.contains(Harness.KEY), "the access log never holds the key");
            assertEquals(
                    "{\"error\":{\"message\":\"The relay could not reach the upstream 'simulator'.\","
                            + "\"type\":\"upstream_error\",\"param\":null,\"code\":\"upstream_unreachable\"}}",
                    relayed.text());
            RecordedStream stream = harness.recorded(relayed.streamId());
            assertEquals(Outcome.UPSTREAM_ERROR, stream.outcome(), stream.toString());
            assertNull(stream.ended().getUpstreamStatus(), stream.toString());
        } finally {
            Harness.await(unreachable.shutdown());
        }
    }

    @Test
    void shouldRejectABodyThatIsNotJson() {
        Http.Response relayed = harness.chat("{\"model\": \"m\", \"messages\": [", "");

        assertEquals(400, relayed.status(), relayed.toString());
        assertTrue(
                relayed.text()
                        .startsWith("{\"error\":{\"message\":\"We could not parse the JSON body"),
                relayed.toString());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.REJECTED, stream.outcome(), stream.toString());
        assertEquals(0, stream.ended().getChunkCount());
    }

    @Test
    void shouldRejectANonJsonContentTypeNamingTheHeader() {
        Http.Response relayed =
                harness.chat(
                        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}",
                        "",
                        "Content-Type",
                        "text/plain");

        assertEquals(400, relayed.status(), relayed.toString());
        assertTrue(relayed.text().contains("\"param\":\"Content-Type\""), relayed.toString());
        assertEquals(Outcome.REJECTED, harness.recorded(relayed.streamId()).outcome());
    }

    @Test
    void shouldRejectANonBooleanIncludeUsageInsteadOfRewritingIt() {
        Http.Response relayed =
                harness.chat(
                        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[],"
                                + "\"stream_options\":{\"include_usage\":\"yes\"}}",
                        "");

        assertEquals(400, relayed.status(), relayed.toString());
        assertTrue(
                relayed.text().contains("\"param\":\"stream_options.include_usage\""),
                relayed.toString());
    }

    @Test
    void shouldRejectARequestWithoutMessagesNamingTheParameter() {
        Http.Response relayed = harness.chat("{\"model\":\"gpt-4o\",\"stream\":true}", "");

        assertEquals(400, relayed.status());
        assertEquals(
                "{\"error\":{\"message\":\"Missing required parameter: 'messages'.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"invalid_request\"}}",
                relayed.text());
        assertEquals(Outcome.REJECTED, harness.recorded(relayed.streamId()).outcome());
    }

    @Test
    void shouldRejectABodyOverTheLimitWith413() {
        String big = Bodies.streamed("\"metadata\":{\"pad\":\"" + "x".repeat(20_000) + "\"}");

        Http.Response relayed = harness.chat(big, "");

        assertEquals(413, relayed.status(), relayed.toString());
        assertTrue(relayed.text().contains("\"code\":\"request_too_large\""), relayed.toString());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.REJECTED, stream.outcome(), stream.toString());
        assertNull(stream.started().getModelRequested(), "the body was never read");
    }

    @Test
    void shouldCloseTheConnectionAfterA413SoTheClientsNextRequestIsNotLost() {
        String big = Bodies.streamed("\"metadata\":{\"pad\":\"" + "x".repeat(20_000) + "\"}");
        List<Integer> next = new ArrayList<>();

        // The client pools connections: had the 413 not said "close", the request after it would
        // now and then go into the socket the relay is closing and get no answer at all.
        for (int i = 0; i < 40; i++) {
            Http.Response tooLarge = harness.chat(big, "");
            assertEquals(413, tooLarge.status(), tooLarge.toString());
            assertEquals("close", tooLarge.header("Connection"), tooLarge.toString());
            next.add(
                    Http.post(
                                    harness.url(Harness.CHAT),
                                    Bodies.streamed(),
                                    "Authorization",
                                    "Basic x")
                            .status());
        }

        assertEquals(Collections.nCopies(40, 401), next);
    }

    @Test
    void shouldAnswerUnknownApiRoutesInOpenAiShapeWithAStreamId() {
        Http.Response unknown = Http.post(harness.url("/v1/models"), "{}");
        Http.Response wrongMethod = Http.get(harness.url(Harness.CHAT));

        assertEquals(404, unknown.status(), unknown.toString());
        assertTrue(unknown.text().contains("\"code\":\"unknown_url\""), unknown.toString());
        assertNotNull(unknown.streamId(), unknown.toString());
        assertEquals(405, wrongMethod.status(), wrongMethod.toString());
        assertNotNull(wrongMethod.streamId(), wrongMethod.toString());
    }

    @Test
    void shouldAnswer401WithoutPublishingAnything() {
        Http.Response anonymous = Http.post(harness.url(Harness.CHAT), Bodies.streamed());
        Http.Response empty =
                Http.post(harness.url(Harness.CHAT), Bodies.streamed(), "Authorization", "Bearer ");

        assertEquals(401, anonymous.status(), anonymous.toString());
        assertEquals(401, empty.status(), empty.toString());
        assertTrue(
                anonymous.text().contains("\"type\":\"invalid_request_error\""),
                anonymous.toString());
        assertNotNull(anonymous.streamId(), "X-Stream-Id on every response");
        // A stream published after them has ended: anything of theirs would have been read by now.
        harness.recorded(harness.chat(Bodies.streamed(), "chunks=1").streamId());
        assertEquals(0, harness.events().events(anonymous.streamId()).size());
        assertEquals(0, harness.events().events(empty.streamId()).size());
    }

    /**
     * The new shapes' interrupted streams end once, as chat completions' do: an error event is an
     * upstream error, a cut connection a truncation the client sees too, silence a timeout. None of
     * them carries usage (a Responses stream's only comes in its terminal response). A cut
     * non-streamed body (embeddings) was held for its cost header, so nothing of it went out: the
     * client gets a clean 502 instead of a reset.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/responses, chunks=6;error-after=2, UPSTREAM_ERROR, true",
        "/v1/responses, chunks=6;truncate-after=3, UPSTREAM_TRUNCATED, false",
        "/v1/responses, chunks=6;stall-after=2, UPSTREAM_TIMEOUT, true",
        "/v1/completions, chunks=6;error-after=2, UPSTREAM_ERROR, true",
        "/v1/completions, chunks=6;truncate-after=3, UPSTREAM_TRUNCATED, false",
        "/v1/completions, chunks=6;stall-after=2, UPSTREAM_TIMEOUT, true",
        "/v1/embeddings, truncate-after=0, UPSTREAM_TRUNCATED, true"
    })
    void shouldEndAnInterruptedStreamOfEveryNewShapeOnce(
            String path, String script, Outcome outcome, boolean endsCleanly) {
        String body =
                switch (path) {
                    case Harness.RESPONSES -> Bodies.responses(true);
                    case "/v1/completions" ->
                            "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Hi\",\"stream\":true}";
                    default -> "{\"model\":\"text-embedding-3-small\",\"input\":\"Hi\"}";
                };

        RawClient relayed =
                RawClient.post(
                                harness.relay().port(),
                                path,
                                body,
                                0,
                                "Authorization",
                                "Bearer " + Harness.KEY,
                                Script.HEADER,
                                script)
                        .readHead()
                        .readToEnd();

        assertEquals(endsCleanly, relayed.endedCleanly(), relayed.text());
        RecordedStream stream = harness.recorded(relayed.header("X-Stream-Id"));
        assertEquals(outcome, stream.outcome(), stream.toString());
        assertNull(stream.ended().getUsage(), stream.toString());
        if (outcome == Outcome.UPSTREAM_TIMEOUT) {
            assertTrue(relayed.text().endsWith(TIMEOUT_EVENT), relayed.text());
        }
        if (outcome == Outcome.UPSTREAM_ERROR) {
            assertTrue(
                    stream.ended().getErrorText().contains("server had an error"),
                    stream.toString());
        }
    }

    @Test
    void shouldPassOtherV1PathsUnmeteredWhenConfiguredAndCountThemByFamily() {
        Relay passing = harness.startRelay(Map.of("routes.other", "pass"));
        try {
            Http.Response models =
                    Http.get(
                            Harness.url(passing, "/v1/models/gpt-4o?x=1"),
                            "Authorization",
                            "Bearer " + Harness.KEY);
            Http.Response odd =
                    Http.get(
                            Harness.url(passing, "/v1/sk-looks-like-a-key/123"),
                            "Authorization",
                            "Bearer " + Harness.KEY);
            Http.Response stored =
                    Http.get(
                            harness.url("/v1/responses/resp_123"),
                            "Authorization",
                            "Bearer " + Harness.KEY);

            assertTrue(models.text().contains("No route"), "the simulator answered: " + models);
            assertEquals(404, odd.status(), odd.toString());
            assertTrue(stored.text().contains("No route"), "always forwarded: " + stored);
            assertEquals(
                    1.0,
                    Harness.metric(passing, "relay_passthrough_requests_total{family=\"models\"}"));
            assertEquals(
                    1.0,
                    Harness.metric(passing, "relay_passthrough_requests_total{family=\"other\"}"));
            assertFalse(
                    Http.get(Harness.url(passing, "/metrics")).text().contains("sk-looks-like"),
                    "raw path segments are never tags");
        } finally {
            Harness.await(passing.shutdown());
        }
    }
}
