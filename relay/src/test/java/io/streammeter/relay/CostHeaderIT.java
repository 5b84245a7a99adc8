package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.Usage;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.prices.Cost;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import io.streammeter.prices.TokenCounts;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Api;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Non-streamed responses carry their cost (issue 14): the header on every metered route, priced
 * with the relay's price-file; the unpriced header when the model has no price or the body no
 * usage; the body byte for byte; bodies over the cap without the header and counted; streamed
 * responses never held and without either header; a held body whose upstream stalls or breaks gets
 * an error the client can read.
 */
@ExtendWith(KafkaExtension.class)
class CostHeaderIT {
    private static final String COST = "X-Streammeter-Cost-Usd";
    private static final String UNPRICED = "X-Streammeter-Unpriced";
    private static final String EMBEDDING_PRICE =
            "  - model: text-embedding-3-small\n"
                    + "    effective_from: 2024-01-01\n"
                    + "    input: 1.00\n"
                    + "    output: 0\n";

    private static Harness harness;
    private static Path priceFile;
    private static PriceTable prices;

    @BeforeAll
    static void start(TestKafka kafka) throws IOException {
        // The bundled table plus an embedding model, so every route has a priced model; this
        // also checks that price-file is read.
        String bundled;
        try (InputStream in =
                PriceFile.class.getClassLoader().getResourceAsStream(PriceFile.BUNDLED)) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String table = bundled.replaceFirst("models:\n", "models:\n" + EMBEDDING_PRICE);
        priceFile = Files.createTempFile("prices-", ".yaml");
        Files.writeString(priceFile, table);
        prices = PriceFile.load(priceFile);
        harness = Harness.start(kafka, "cost-header", Map.of("price-file", priceFile.toString()));
    }

    @AfterAll
    static void stop() throws IOException {
        harness.close();
        Files.deleteIfExists(priceFile);
    }

    /** The cost metering gives the line item of this usage: the same table, the same rule. */
    private static String expectedCost(Usage usage, String model) {
        PriceEntry price = prices.find(model, Instant.now()).orElseThrow();
        TokenCounts counts =
                new TokenCounts(
                        usage.getPromptTokens(),
                        usage.getCompletionTokens(),
                        usage.getCachedPromptTokens(),
                        usage.getCacheCreationPromptTokens());
        return Cost.usd(Cost.micros(counts, price));
    }

    private static void assertCostOf(Http.Response relayed, String model) {
        assertEquals(200, relayed.status(), relayed.toString());
        assertNull(relayed.header(UNPRICED), relayed.toString());
        String cost = relayed.header(COST);
        assertNotNull(cost, "cost header on " + relayed);
        assertTrue(cost.matches("\\d+\\.\\d{6}"), "six decimals: " + cost);
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        assertNotNull(stream.ended().getUsage(), stream.toString());
        assertEquals(expectedCost(stream.ended().getUsage(), model), cost, stream.toString());
        assertTrue(Double.parseDouble(cost) > 0, "a priced model's tokens cost something: " + cost);
    }

    @Test
    void shouldPriceANonStreamedChatCompletion() {
        String body = Bodies.notStreamed();
        String script = "chunks=5;cached=2";

        Http.Response relayed = harness.chat(body, script);

        assertArrayEquals(harness.direct(body, script).body(), relayed.body(), "byte-exact");
        assertCostOf(relayed, "gpt-4o-mini");
        harness.recorded(relayed.streamId()).assertUsage(Harness.reported(body, script));
    }

    @Test
    void shouldPriceANonStreamedLegacyCompletion() {
        String body = "{\"model\":\"gpt-4o-mini\",\"prompt\":\"Say hi.\"}";
        String script = "chunks=4";

        Http.Response relayed = harness.post("/v1/completions", body, script);

        assertArrayEquals(
                harness.directUntouched("/v1/completions", body, script).body(), relayed.body());
        assertCostOf(relayed, "gpt-4o-mini");
        harness.recorded(relayed.streamId())
                .assertUsage(Harness.reportedUntouched(Api.COMPLETIONS, body, script));
    }

    @Test
    void shouldPriceEmbeddings() {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":[\"one\",\"two three\"]}";
        String script = "";

        Http.Response relayed = harness.post("/v1/embeddings", body, script);

        assertArrayEquals(
                harness.directUntouched("/v1/embeddings", body, script).body(), relayed.body());
        assertCostOf(relayed, "text-embedding-3-small");
        harness.recorded(relayed.streamId())
                .assertUsage(Harness.reportedUntouched(Api.EMBEDDINGS, body, script));
    }

    @Test
    void shouldPriceANonStreamedResponse() {
        String body = Bodies.responses(false);
        String script = "chunks=6;cached=1;reasoning=3";

        Http.Response relayed = harness.post(Harness.RESPONSES, body, script);

        assertArrayEquals(
                harness.directUntouched(Harness.RESPONSES, body, script).body(), relayed.body());
        assertCostOf(relayed, "gpt-4o-mini");
        harness.recorded(relayed.streamId())
                .assertUsage(Harness.reportedUntouched(Api.RESPONSES, body, script));
    }

    @Test
    void shouldPriceANonStreamedAnthropicMessageWithItsCacheReadsAndWrites() {
        String body = Bodies.messagesNotStreamed();
        String script = "chunks=5;cache-read=40;cache-write=30";

        Http.Response relayed = harness.messages(body, script);

        assertArrayEquals(harness.directMessages(body, script).body(), relayed.body());
        assertCostOf(relayed, "claude-sonnet-4-5");
        harness.recorded(relayed.streamId())
                .assertAnthropicUsage(Harness.reportedMessages(body, script));
    }

    @Test
    void shouldSayUnpricedForAModelWithoutAPrice() {
        String body =
                "{\"model\":\"no-such-model-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}]}";

        Http.Response relayed = harness.chat(body, "chunks=3");

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals("1", relayed.header(UNPRICED), relayed.toString());
        assertNull(relayed.header(COST), relayed.toString());
        assertArrayEquals(harness.direct(body, "chunks=3").body(), relayed.body());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertNotNull(stream.ended().getUsage(), "metered all the same: " + stream);
    }

    @Test
    void shouldSayUnpricedForABodyWithoutUsage() {
        Http.Response relayed = harness.chat(Bodies.notStreamed(), "chunks=3;usage=never");

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals("1", relayed.header(UNPRICED), relayed.toString());
        assertNull(relayed.header(COST), relayed.toString());
    }

    @Test
    void shouldNeverHoldOrPriceAStreamedResponse() {
        String chat = Bodies.streamedWithUsage();
        Http.Response streamed = harness.chat(chat, "chunks=4");
        Http.Response messages = harness.messages(Bodies.messagesStreamed(), "chunks=4");
        Http.Response responses =
                harness.post(Harness.RESPONSES, Bodies.responses(true), "chunks=4");

        for (Http.Response relayed : new Http.Response[] {streamed, messages, responses}) {
            assertEquals(200, relayed.status(), relayed.toString());
            assertTrue(
                    relayed.header("Content-Type").startsWith("text/event-stream"),
                    relayed.toString());
            assertNull(relayed.header(COST), relayed.toString());
            assertNull(relayed.header(UNPRICED), relayed.toString());
            assertNotNull(relayed.streamId(), "the id to look the line item up by");
        }
        assertEquals(harness.direct(chat, "chunks=4").text(), streamed.text());
    }

    @Test
    void shouldForwardABodyOverTheCapWithoutTheHeaderAndCountIt() {
        Relay capped = harness.startRelay(Map.of("cost-header.max-body-bytes", "200"));
        try {
            String body = Bodies.notStreamed();
            // Content-Length known before a byte: not held at all.
            Http.Response known =
                    Http.post(
                            Harness.url(capped, Harness.CHAT),
                            body,
                            "Authorization",
                            "Bearer " + Harness.KEY,
                            "X-Sim-Script",
                            "chunks=40");
            // gzip: the relay decodes, so no length: outgrows the cap while held.
            Http.Response outgrown =
                    Http.post(
                            Harness.url(capped, Harness.CHAT),
                            body,
                            "Authorization",
                            "Bearer " + Harness.KEY,
                            "X-Sim-Script",
                            "chunks=400;gzip=true",
                            "Accept-Encoding",
                            "gzip");

            assertArrayEquals(harness.direct(body, "chunks=40").body(), known.body());
            assertEquals(harness.direct(body, "chunks=400;gzip=true").text(), outgrown.text());
            for (Http.Response relayed : new Http.Response[] {known, outgrown}) {
                assertEquals(200, relayed.status(), relayed.toString());
                assertNull(relayed.header(COST), relayed.toString());
                assertNull(relayed.header(UNPRICED), relayed.toString());
                RecordedStream stream = harness.recorded(relayed.streamId());
                assertNotNull(stream.ended().getUsage(), "metered all the same: " + stream);
            }
            assertEquals(2.0, skipped(capped), 0.0);
        } finally {
            Harness.await(capped.shutdown());
        }
    }

    @Test
    void shouldStreamTheBodyThroughWithoutTheHeaderWhenTheCapIsZero() {
        Relay off = harness.startRelay(Map.of("cost-header.max-body-bytes", "0"));
        try {
            String body = Bodies.notStreamed();
            Http.Response relayed =
                    Http.post(
                            Harness.url(off, Harness.CHAT),
                            body,
                            "Authorization",
                            "Bearer " + Harness.KEY,
                            "X-Sim-Script",
                            "chunks=5");

            assertEquals(200, relayed.status(), relayed.toString());
            assertArrayEquals(harness.direct(body, "chunks=5").body(), relayed.body());
            assertNull(relayed.header(COST), relayed.toString());
            assertNull(relayed.header(UNPRICED), relayed.toString());
            assertEquals(0.0, skipped(off), 0.0, "off is no skip");
        } finally {
            Harness.await(off.shutdown());
        }
    }

    @Test
    void shouldAnswerATimeoutWhenTheUpstreamStallsMidBodyWhileHeld() {
        Relay relay = harness.startRelay(Map.of("upstream.idle-timeout", "500ms"));
        try {
            Http.Response relayed =
                    Http.post(
                            Harness.url(relay, Harness.CHAT),
                            Bodies.notStreamed(),
                            "Authorization",
                            "Bearer " + Harness.KEY,
                            "X-Sim-Script",
                            "chunks=5;stall-after=2");

            assertEquals(504, relayed.status(), relayed.toString());
            assertTrue(relayed.text().contains("\"code\":\"upstream_timeout\""), relayed.text());
            assertNull(relayed.header(COST), relayed.toString());
            RecordedStream stream = harness.recorded(relayed.streamId());
            assertEquals(Outcome.UPSTREAM_TIMEOUT, stream.outcome(), stream.toString());
        } finally {
            Harness.await(relay.shutdown());
        }
    }

    @Test
    void shouldAnswerShuttingDownWhenTheGraceEndsWhileABodyIsHeld() {
        Relay relay = harness.startRelay(Map.of("shutdown.grace", "300ms"));
        java.util.concurrent.CompletableFuture<Http.Response> pending =
                Http.postAsync(
                        Harness.url(relay, Harness.CHAT),
                        Bodies.notStreamed(),
                        "Authorization",
                        "Bearer " + Harness.KEY,
                        "X-Sim-Script",
                        "chunks=5;stall-after=2");
        org.awaitility.Awaitility.await("the request is in flight, its body held")
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> upstreamBytes(relay) > 0);
        Harness.await(relay.shutdown());

        Http.Response relayed = pending.join();
        assertEquals(503, relayed.status(), relayed.toString());
        assertTrue(relayed.text().contains("\"code\":\"relay_shutting_down\""), relayed.text());
        assertNull(relayed.header(COST), relayed.toString());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.RELAY_SHUTDOWN, stream.outcome(), stream.toString());
    }

    @Test
    void shouldAnswerABadGatewayWhenTheUpstreamBreaksMidBodyWhileHeld() {
        Http.Response relayed = harness.chat(Bodies.notStreamed(), "chunks=5;truncate-after=2");

        assertEquals(502, relayed.status(), relayed.toString());
        assertTrue(relayed.text().contains("\"code\":\"upstream_truncated\""), relayed.text());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.UPSTREAM_TRUNCATED, stream.outcome(), stream.toString());
    }

    private static double upstreamBytes(Relay relay) {
        String metrics = Http.get(Harness.url(relay, "/metrics")).text();
        Matcher m =
                Pattern.compile("(?m)^relay_bytes_total\\{direction=\"upstream\"\\} (\\S+)$")
                        .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double skipped(Relay relay) {
        String metrics = Http.get(Harness.url(relay, "/metrics")).text();
        Matcher m =
                Pattern.compile(
                                "(?m)^relay_cost_header_skipped_total\\{reason=\"over_cap\"\\} (\\S+)$")
                        .matcher(metrics);
        assertTrue(m.find(), metrics);
        return Double.parseDouble(m.group(1));
    }
}
