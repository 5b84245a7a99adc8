package io.streammeter.metering.query;

import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamEvent;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Metering;
import io.streammeter.schemas.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The line-item and in-flight routes over real HTTP, two metering instances on the real broker:
 * every answer is the same from either instance, whichever holds the streams.
 */
@ExtendWith(KafkaExtension.class)
class LineItemRoutesIT {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Metering> instances = new ArrayList<>();

    @BeforeEach
    void start(TestKafka kafka) throws Exception {
        TopicCatalog topics = kafka.newCatalog("line-items");
        String appId = "metering-items-" + Long.toString(System.nanoTime(), 36);
        for (String name : List.of("one", "two")) {
            instances.add(Metering.start(QueryApiIT.config(kafka, topics, appId, name)));
        }
        for (Metering m : instances) {
            assertTrue(m.awaitRunning(Duration.ofSeconds(60)));
        }
        produce(kafka, topics);
    }

    @AfterEach
    void stop() {
        instances.forEach(Metering::close);
    }

    @Test
    void shouldExplainOneLineItemFromEitherInstance() throws Exception {
        await("line item c1 on both instances")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            for (Metering m : instances) {
                                assertEquals(200, send(m, "/v1/line-items/c1").statusCode());
                            }
                        });
        JsonNode c1 = get(instances.get(1), "/v1/line-items/c1");
        assertEquals("k_c", c1.path("key_id").asText(), c1.toString());
        assertEquals("client_disconnected", c1.path("outcome").asText());
        assertEquals("estimated", c1.path("usage_source").asText());
        assertEquals("client_disconnected", c1.path("missing_usage_reason").asText());
        assertTrue(c1.path("missing_usage").asBoolean());
        assertTrue(c1.path("cost_micros").isNull(), "estimates are never priced: " + c1);
        assertEquals(100, c1.path("estimated_prompt_tokens").asLong(), "400 chars / 4");

        JsonNode a1 = get(instances.get(0), "/v1/line-items/a1");
        assertEquals("reported", a1.path("usage_source").asText());
        assertEquals(750, a1.path("cost_micros").asLong(), "1000 x 0.15 + 1000 x 0.60");
        assertEquals("0.000750", a1.path("cost_usd").asText());
        assertEquals(1000, a1.path("prompt_tokens").asLong());
        assertTrue(a1.path("price_entry").asText().contains("gpt-4o-mini"), a1.toString());

        HttpResponse<String> missing = send(instances.get(0), "/v1/line-items/nope");
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("no line item for stream nope"), missing.body());
    }

    @Test
    void shouldListAKeysLineItemsNewestFirst() throws Exception {
        await("k_a's three line items")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            for (Metering m : instances) {
                                JsonNode list = get(m, "/v1/keys/k_a/line-items");
                                assertEquals(
                                        List.of("a3", "a2", "a1"),
                                        ids(list.path("line_items")),
                                        list.toString());
                            }
                        });
        JsonNode two = get(instances.get(1), "/v1/keys/k_a/line-items?limit=2");
        assertEquals(List.of("a3", "a2"), ids(two.path("line_items")));
        assertEquals(2, two.path("limit").asInt());
        assertEquals(
                0, get(instances.get(0), "/v1/keys/k_nobody/line-items").path("line_items").size());
        assertEquals(400, send(instances.get(0), "/v1/keys/k_a/line-items?limit=0").statusCode());
    }

    @Test
    void shouldShowStreamsOpenRightNowWithTheirCostSoFar() throws Exception {
        // Until every event is folded and committed: o1 with both chunks, o2, nothing else open.
        await("o1 and o2 open, fully folded")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            for (Metering m : instances) {
                                JsonNode live = get(m, "/v1/in-flight");
                                assertEquals(2, live.path("streams").asInt(), live.toString());
                                assertEquals(
                                        114, live.path("cost_micros").asLong(), live.toString());
                            }
                        });
        JsonNode live = get(instances.get(0), "/v1/in-flight");
        JsonNode first = live.path("keys").path(0);
        assertEquals("k_b", first.path("key_id").asText(), "highest cost first: " + live);
        JsonNode o2 = first.path("open").path(0);
        assertEquals("o2", o2.path("stream_id").asText());
        assertEquals("reported", o2.path("usage_source").asText());
        assertEquals(500, o2.path("prompt_tokens").asLong());
        assertEquals(87, o2.path("cost_micros").asLong(), "500 x 0.15 + 20 x 0.60");
        JsonNode second = live.path("keys").path(1);
        assertEquals("k_a", second.path("key_id").asText());
        JsonNode o1 = second.path("open").path(0);
        assertEquals("estimated", o1.path("usage_source").asText());
        assertEquals(2, o1.path("chunks").asInt());
        assertEquals(100, o1.path("prompt_tokens").asLong(), "400 chars / 4");
        assertEquals(20, o1.path("completion_tokens").asLong(), "80 chars / 4");
        assertEquals(27, o1.path("cost_micros").asLong(), "100 x 0.15 + 20 x 0.60");
        assertEquals(114, live.path("cost_micros").asLong());
        assertEquals("0.000114", live.path("cost_usd").asText());
    }

    @Test
    void shouldShowTheMissingUsageRatePerModelAndUpstreamWithItsThreshold() throws Exception {
        // The streams may fall into two windows (five minutes wide): sum them per model.
        await("every line item counted in the rate windows")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            for (Metering m : instances) {
                                JsonNode rate = get(m, "/v1/missing-usage/rate");
                                assertEquals(
                                        Map.of(
                                                "gpt-4o",
                                                List.of(1L, 1L),
                                                "gpt-4o-mini",
                                                List.of(3L, 0L)),
                                        perModel(rate),
                                        rate.toString());
                            }
                        });
        JsonNode rate = get(instances.get(1), "/v1/missing-usage/rate");
        assertEquals(50, rate.path("threshold_permille").asInt(), "the default: 5%");
        for (JsonNode w : rate.path("windows")) {
            assertEquals("simulator", w.path("upstream").asText(), rate.toString());
            if (w.path("model").asText().equals("gpt-4o")) {
                assertEquals(1000, w.path("share_permille").asInt(), rate.toString());
            }
        }
    }

    @Test
    void shouldServeTheSpendPageFromTheJar() throws Exception {
        HttpResponse<String> page = send(instances.get(0), "/ui/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>streammeter spend</title>"), page.body());
        assertEquals(200, send(instances.get(0), "/ui/app.js").statusCode());
        assertEquals(200, send(instances.get(0), "/ui/svgchart.js").statusCode());
        HttpResponse<String> bare = send(instances.get(0), "/ui");
        assertEquals(302, bare.statusCode());
        assertEquals("/ui/", bare.headers().firstValue("location").orElse(""));
    }

    /** Streams and streams missing usage per model, over the windows shown. */
    private static Map<String, List<Long>> perModel(JsonNode rate) {
        Map<String, long[]> sums = new TreeMap<>();
        for (JsonNode w : rate.path("windows")) {
            long[] sum = sums.computeIfAbsent(w.path("model").asText(), m -> new long[2]);
            sum[0] += w.path("streams").asLong();
            sum[1] += w.path("missing").asLong();
        }
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((model, sum) -> out.put(model, List.of(sum[0], sum[1])));
        return out;
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.path("stream_id").asText()));
        return ids;
    }

    private JsonNode get(Metering m, String path) throws Exception {
        HttpResponse<String> response = send(m, path);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(Metering m, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + m.queryPort() + path);
        return http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + QueryApiIT.ADMIN_TOKEN)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void produce(TestKafka kafka, TopicCatalog topics) throws Exception {
        var topic = topics.streamEvents();
        // Close to now: the rate route shows the windows still open (rate-window 5m + grace 1m).
        Instant now = Instant.now();
        Instant t = now.minus(Duration.ofSeconds(60));
        List<StreamEvent> events =
                List.of(
                        started("a1", t, "k_a", "gpt-4o-mini"),
                        ended("a1", t.plusSeconds(1), usage(1000, 1000)),
                        started("a2", t.plusSeconds(10), "k_a", "gpt-4o-mini"),
                        ended("a2", t.plusSeconds(11), usage(1000, 1000)),
                        started("a3", t.plusSeconds(20), "k_a", "gpt-4o-mini"),
                        ended("a3", t.plusSeconds(21), usage(1000, 1000)),
                        started("c1", t, "k_c", "gpt-4o"),
                        ended(
                                "c1",
                                1,
                                t.plusSeconds(1),
                                null,
                                e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED)),
                        started("o1", now, "k_a", "gpt-4o-mini"),
                        chunk("o1", 1, now),
                        chunk("o1", 2, now),
                        started("o2", now, "k_b", "gpt-4o-mini"),
                        chunk("o2", 1, now, usage(500, 20)));
        try (var producer =
                new KafkaProducer<>(
                        kafka.clientProperties(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            for (StreamEvent e : events) {
                producer.send(new ProducerRecord<>(topic.name(), e.getStreamId(), e)).get();
            }
        }
    }
}
