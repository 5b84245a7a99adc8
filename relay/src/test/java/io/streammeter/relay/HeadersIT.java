package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RawClient;
import io.streammeter.relay.support.RecordedStream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What crosses the relay besides the body: headers both ways, path and query, the upstream key. */
@ExtendWith(KafkaExtension.class)
class HeadersIT {
    private static final String SSE =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},"
                    + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    private static Harness harness;
    private static HttpServer upstream;
    private static final AtomicReference<MultiMap> seenHeaders = new AtomicReference<>();
    private static final AtomicReference<String> seenUri = new AtomicReference<>();

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "headers");
        upstream =
                Harness.await(
                        harness.vertx()
                                .createHttpServer()
                                .requestHandler(
                                        request -> {
                                            seenHeaders.set(
                                                    MultiMap.caseInsensitiveMultiMap()
                                                            .addAll(request.headers()));
                                            seenUri.set(request.uri());
                                            request.response()
                                                    .putHeader("Content-Type", "text/event-stream")
                                                    .putHeader("Keep-Alive", "timeout=5")
                                                    .putHeader("X-Request-Id", "req-upstream-1")
                                                    .putHeader(
                                                            "X-Stream-Id",
                                                            "upstream-should-not-win")
                                                    .end(SSE);
                                        })
                                .listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        Harness.await(upstream.close());
        harness.close();
    }

    private static RawClient send(Relay relay) {
        return RawClient.post(
                        relay.port(),
                        Harness.CHAT + "?api-version=2024-06-01",
                        Bodies.streamed(),
                        0,
                        "Authorization",
                        "Bearer " + Harness.KEY,
                        "OpenAI-Organization",
                        "org-123",
                        "X-Sim-Script",
                        "chunks=1",
                        "X-Meter-Team",
                        "search",
                        "Connection",
                        "keep-alive, X-Hop",
                        "X-Hop",
                        "secret-hop",
                        "Keep-Alive",
                        "timeout=5",
                        "TE",
                        "trailers",
                        "Proxy-Authorization",
                        "Basic abc",
                        "Accept-Encoding",
                        "br")
                .readHead()
                .readToEnd();
    }

    @Test
    void shouldForwardEndToEndHeadersOnlyAndTheClientsKeyByDefault() {
        Relay relay =
                harness.startRelay(
                        Map.of(
                                "upstream.base-url",
                                "http://127.0.0.1:" + upstream.actualPort() + "/v1"));
        try (RawClient client = send(relay)) {
            MultiMap sent = seenHeaders.get();
            assertEquals("/v1/chat/completions?api-version=2024-06-01", seenUri.get());
            assertEquals("Bearer " + Harness.KEY, sent.get("Authorization"));
            assertEquals("org-123", sent.get("OpenAI-Organization"));
            assertEquals("chunks=1", sent.get("X-Sim-Script"));
            for (String dropped :
                    new String[] {
                        "X-Meter-Team", "X-Hop", "Keep-Alive", "TE", "Proxy-Authorization"
                    }) {
                assertNull(sent.get(dropped), dropped + " must not reach the upstream: " + sent);
            }
            assertTrue(
                    sent.get("Accept-Encoding").contains("gzip"),
                    "the relay asks for what it decodes: " + sent);

            assertEquals(SSE, client.text());
            assertEquals("req-upstream-1", client.header("X-Request-Id"));
            assertNull(client.header("Keep-Alive"), "hop-by-hop stays on its hop");
            String streamId = client.header("X-Stream-Id");
            assertTrue(streamId.startsWith("s_") && streamId.length() == 24, streamId);
            RecordedStream stream =
                    RecordedStream.of(streamId, harness.events().awaitEnded(streamId));
            assertEquals("search", stream.started().getTags().get("team"));
        } finally {
            Harness.await(relay.shutdown());
        }
    }

    @Test
    void shouldSendTheConfiguredUpstreamKeyButBillTheClientsKey() {
        Relay relay =
                harness.startRelay(
                        Map.of(
                                "upstream.base-url",
                                "http://127.0.0.1:" + upstream.actualPort() + "/v1",
                                "upstream.api-key",
                                "sk-relay-own-upstream-key",
                                "auth.allow-open-proxy",
                                "true"));
        try (RawClient client = send(relay)) {
            MultiMap sent = seenHeaders.get();
            assertEquals("Bearer sk-relay-own-upstream-key", sent.get("Authorization"));
            assertNull(
                    sent.get("OpenAI-Organization"),
                    "on the operator's key the caller does not pick who pays: " + sent);
            String streamId = client.header("X-Stream-Id");
            RecordedStream stream =
                    RecordedStream.of(streamId, harness.events().awaitEnded(streamId));
            assertEquals(KeyIds.derive(Harness.PEPPER, Harness.KEY), stream.started().getKeyId());
        } finally {
            Harness.await(relay.shutdown());
        }
    }
}
