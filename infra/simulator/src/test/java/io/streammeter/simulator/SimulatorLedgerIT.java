package io.streammeter.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger the fault suite compares metering with: one entry per answer, as it was sent. */
class SimulatorLedgerIT {
    static Vertx vertx;
    static Simulator simulator;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        simulator =
                Simulator.start(vertx, SimulatorConfig.ephemeral().withLedger(true))
                        .await(10, TimeUnit.SECONDS);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        simulator.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldRecordTheUsageSentForATaggedStreamThatCompleted() throws Exception {
        String body = Bodies.chat(true, "");
        send("usage-1", "sk-ledger-a", "chunks=3;usage=separate;cached=2", body);

        JsonObject entry = awaitEntry("usage-1");
        SimUsage expected =
                ExpectedUsage.of(
                        Api.CHAT_COMPLETIONS,
                        body,
                        Script.parse("chunks=3;usage=separate;cached=2"));
        assertEquals("sk-ledger-a", entry.getString("bearer"));
        assertTrue(entry.getBoolean("stream"));
        assertTrue(entry.getBoolean("usage_sent"));
        assertEquals("COMPLETED", entry.getString("outcome"));
        assertEquals(expected.promptTokens(), (long) entry.getLong("prompt_tokens"));
        assertEquals(expected.completionTokens(), (long) entry.getLong("completion_tokens"));
        assertEquals(2L, (long) entry.getLong("cached_tokens"));
    }

    @Test
    void shouldRecordAStreamWithoutUsageAsCompletedWithNoTokens() throws Exception {
        send("no-usage-1", "sk-ledger-b", "chunks=3;usage=never", Bodies.chat(true, ""));

        JsonObject entry = awaitEntry("no-usage-1");
        assertFalse(entry.getBoolean("usage_sent"));
        assertEquals("COMPLETED", entry.getString("outcome"));
        assertFalse(entry.containsKey("prompt_tokens"));
    }

    @Test
    void shouldRecordAStreamTheClientLeftAsAbandonedWithoutUsage() throws Exception {
        HttpResponse<InputStream> response =
                http.send(
                        request(
                                "left-1",
                                "sk-ledger-c",
                                "chunks=50;delay-ms=100;usage=separate",
                                Bodies.chat(true, "")),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            assertTrue(in.read() >= 0, "the stream began");
        }

        JsonObject entry = awaitEntry("left-1");
        assertEquals("ABANDONED", entry.getString("outcome"));
        assertFalse(entry.getBoolean("usage_sent"));
    }

    @Test
    void shouldAnswer404WhenTheLedgerIsOff() throws Exception {
        try (var plain = new AutoCloseSimulator()) {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(plain.sim.baseUrl() + "/_sim/ledger"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(404, response.statusCode());
            assertNull(plain.sim.ledger());
        }
    }

    private static void send(String tag, String key, String script, String body) throws Exception {
        HttpResponse<String> response =
                http.send(request(tag, key, script, body), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
    }

    private static HttpRequest request(String tag, String key, String script, String body) {
        return HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .header(Script.HEADER, script)
                .header(SimulatorLedger.TAG_HEADER, tag)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static JsonObject awaitEntry(String tag) {
        JsonObject[] found = new JsonObject[1];
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            found[0] = entry(tag);
                            return found[0] != null;
                        });
        return found[0];
    }

    private static JsonObject entry(String tag) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_sim/ledger"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonArray entries = new JsonObject(response.body()).getJsonArray("entries");
        for (int i = 0; i < entries.size(); i++) {
            if (tag.equals(entries.getJsonObject(i).getString("tag"))) {
                return entries.getJsonObject(i);
            }
        }
        return null;
    }

    /** A second simulator, without a ledger. */
    private static final class AutoCloseSimulator implements AutoCloseable {
        final Simulator sim;

        AutoCloseSimulator() throws Exception {
            sim = Simulator.start(vertx, SimulatorConfig.ephemeral()).await(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            sim.close();
        }
    }
}
