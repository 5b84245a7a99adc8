package io.streammeter.metering.query;

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
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.topology.KeyIdPartitioner;
import io.streammeter.metering.topology.Names;
import io.streammeter.schemas.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The query API over real HTTP, two metering instances on the real broker. */
@ExtendWith(KafkaExtension.class)
class QueryApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS);
    static final Instant PREVIOUS_HOUR = HOUR.minus(Duration.ofHours(1));
    static final String ADMIN_TOKEN = "admin-token-of-the-query-api-tests";

    private final HttpClient http = HttpClient.newHttpClient();
    private Metering one;
    private Metering two;

    @BeforeEach
    void start(TestKafka kafka) throws Exception {
        TopicCatalog topics = kafka.newCatalog("query-api");
        String appId = "metering-query-" + Long.toString(System.nanoTime(), 36);
        one = Metering.start(config(kafka, topics, appId, "one"));
        two = Metering.start(config(kafka, topics, appId, "two"));
        assertTrue(
                one.awaitRunning(Duration.ofSeconds(60))
                        && two.awaitRunning(Duration.ofSeconds(60)));
        produce(kafka, topics);
    }

    @AfterEach
    void stop() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
    }

    @Test
    void shouldAnswerEveryQueryFromEitherInstance() throws Exception {
        String range = "&from=" + PREVIOUS_HOUR + "&to=" + HOUR.plus(Duration.ofHours(1));
        await("spend of k_a on both instances")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            for (Metering m : List.of(one, two)) {
                                assertEquals(
                                        3,
                                        get(m, "/v1/spend?key_id=k_a" + range)
                                                .path("total")
                                                .path("requests")
                                                .asLong());
                            }
                        });

        JsonNode hourly = get(one, "/v1/spend?key_id=k_a&granularity=hour" + range);
        assertEquals(2, hourly.path("buckets").size(), "body: " + hourly);
        assertEquals(
                PREVIOUS_HOUR.toString(), hourly.path("buckets").get(0).path("start").asText());
        assertEquals(2, hourly.path("buckets").get(0).path("total").path("requests").asLong());
        assertEquals(
                2250,
                hourly.path("total").path("cost_micros").asLong(),
                "3 x (1000 x 0.15 + 1000 x 0.60)");
        assertEquals("0.002250", hourly.path("total").path("cost_usd").asText());
        assertEquals("gpt-4o-mini", hourly.path("models").get(0).path("model").asText());

        String days =
                "&from="
                        + PREVIOUS_HOUR.truncatedTo(ChronoUnit.DAYS)
                        + "&to="
                        + HOUR.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        JsonNode daily = get(two, "/v1/spend?key_id=k_a&granularity=day" + days);
        long dayRequests = 0;
        for (JsonNode bucket : daily.path("buckets")) {
            dayRequests += bucket.path("total").path("requests").asLong();
        }
        assertEquals(3, dayRequests, "body: " + daily);

        await("top keys")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonNode top = get(two, "/v1/spend/top?limit=2" + range);
                            assertEquals(
                                    List.of("k_b", "k_a"),
                                    List.of(
                                            top.path("keys").path(0).path("key_id").asText(),
                                            top.path("keys").path(1).path("key_id").asText()),
                                    "body: " + top);
                        });

        // k_c's stream is on another partition than k_a's: its alert may commit a moment later.
        await("the missing-usage alert")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonNode alerts =
                                    get(one, "/v1/alerts/missing-usage?since=" + PREVIOUS_HOUR);
                            assertEquals(1, alerts.path("alerts").size(), "body: " + alerts);
                            JsonNode alert = alerts.path("alerts").path(0);
                            assertEquals("client_disconnected", alert.path("reason").asText());
                            assertEquals("k_c", alert.path("key_id").asText());
                        });

        double forwarded =
                one.metrics().count("metering.query.forwarded", "route", "spend")
                        + two.metrics().count("metering.query.forwarded", "route", "spend");
        assertTrue(forwarded > 0 || sameOwner(), "a key held by the other instance is forwarded");
    }

    @Test
    void shouldRejectBadParametersNamingThem() throws Exception {
        String range = "&from=" + PREVIOUS_HOUR + "&to=" + HOUR;
        assertBadParameter("/v1/spend?from=" + PREVIOUS_HOUR + "&to=" + HOUR, "key_id");
        assertBadParameter("/v1/spend?key_id=k_a&from=yesterday&to=" + HOUR, "from");
        assertBadParameter("/v1/spend?key_id=k_a&granularity=week" + range, "granularity");
        assertBadParameter(
                "/v1/spend?key_id=k_a&from=" + PREVIOUS_HOUR.plusSeconds(60) + "&to=" + HOUR,
                "from");
        assertBadParameter("/v1/spend?key_id=k_a&from=" + HOUR + "&to=" + PREVIOUS_HOUR, "to");
        assertBadParameter("/v1/spend/top?limit=0" + range, "limit");
        assertBadParameter("/v1/alerts/missing-usage?since=noon", "since");
    }

    @Test
    void shouldRefuseARangeOlderThanTheRetentionSayingIt() throws Exception {
        Instant old = HOUR.minus(Duration.ofDays(400));
        String path = "/v1/spend?key_id=k_a&from=" + old + "&to=" + old.plusSeconds(3600);
        assertBadParameter(path, "from");
        assertTrue(send(one, path).body().contains("spend retention (35 days"), path);
        assertBadParameter("/v1/spend/top?from=" + old + "&to=" + old.plusSeconds(3600), "from");
    }

    @Test
    void shouldAnswerUnknownRoutesAndMethodsInJson() throws Exception {
        HttpResponse<String> missing = send(one, "/v1/nothing-here");
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals(
                "not_found", JSON.readTree(missing.body()).path("error").path("type").asText());
        assertTrue(missing.headers().firstValue("content-type").orElse("").contains("json"));
        HttpResponse<String> wrongMethod =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + one.queryPort()
                                                        + "/v1/spend"))
                                .DELETE()
                                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertEquals(
                "method_not_allowed",
                JSON.readTree(wrongMethod.body()).path("error").path("type").asText(),
                wrongMethod.body());
    }

    @Test
    void shouldServeMetricsAndHealth() throws Exception {
        await("line items counted")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                one.metrics()
                                                        .count(
                                                                "metering.line.items",
                                                                "outcome",
                                                                "completed",
                                                                "usage_source",
                                                                "reported",
                                                                "revision",
                                                                "first")
                                                + two.metrics()
                                                        .count(
                                                                "metering.line.items",
                                                                "outcome",
                                                                "completed",
                                                                "usage_source",
                                                                "reported",
                                                                "revision",
                                                                "first")
                                        >= 4);
        HttpResponse<String> metrics = send(one, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("metering_unpriced_line_items_total"), metrics.body());
        assertTrue(
                metrics.body().contains("metering_spend_late_total{effect=\"retract\"}"),
                metrics.body());
        assertTrue(
                metrics.body().contains("kafka_stream"), "Kafka Streams metrics are exposed too");
        assertEquals(200, send(two, "/healthz").statusCode());
        assertEquals(200, send(two, "/readyz").statusCode());
    }

    private boolean sameOwner() {
        var meta =
                one.streams()
                        .queryMetadataForKey(
                                Names.SPEND_STORE, "k_a|", new KeyIdPartitioner<Object>());
        var metaB =
                one.streams()
                        .queryMetadataForKey(
                                Names.SPEND_STORE, "k_b|", new KeyIdPartitioner<Object>());
        var metaC =
                one.streams()
                        .queryMetadataForKey(
                                Names.SPEND_STORE, "k_c|", new KeyIdPartitioner<Object>());
        return meta.activeHost().equals(metaB.activeHost())
                && metaB.activeHost().equals(metaC.activeHost());
    }

    private void assertBadParameter(String path, String parameter) throws Exception {
        HttpResponse<String> response = send(one, path);
        assertEquals(400, response.statusCode(), path + " -> " + response.body());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals(parameter, error.path("parameter").asText(), response.body());
        assertTrue(error.path("message").asText().startsWith(parameter + ":"), response.body());
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
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static MeteringConfig config(
            TestKafka kafka, TopicCatalog topics, String appId, String instance)
            throws IOException {
        Path tokenFile = Path.of("target", "it-state", appId, "admin-token").toAbsolutePath();
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, ADMIN_TOKEN + "\n");
        return MeteringConfig.defaults()
                .with("auth.admin-token-file", tokenFile.toString())
                .with("bootstrap-servers", kafka.bootstrapServers())
                .with("application-id", appId)
                .with("topic-prefix", topics.prefix())
                .with(
                        "state-dir",
                        Path.of("target", "it-state", appId, instance).toAbsolutePath().toString())
                .with("query-port", "0")
                .with("application-server", "127.0.0.1")
                .withKafka(
                        Map.of(
                                "commit.interval.ms",
                                "100",
                                "session.timeout.ms",
                                "6000",
                                "heartbeat.interval.ms",
                                "1000"));
    }

    static void produce(TestKafka kafka, TopicCatalog topics) throws Exception {
        var topic = topics.streamEvents();
        Instant early = PREVIOUS_HOUR.plus(Duration.ofMinutes(10));
        Instant late = HOUR.plusSeconds(30);
        List<StreamEvent> events =
                List.of(
                        started("a1", early, "k_a", "gpt-4o-mini"),
                                ended("a1", early.plusSeconds(1), usage(1000, 1000)),
                        started("a2", early, "k_a", "gpt-4o-mini"),
                                ended("a2", early.plusSeconds(2), usage(1000, 1000)),
                        started("a3", late, "k_a", "gpt-4o-mini"),
                                ended("a3", late.plusSeconds(1), usage(1000, 1000)),
                        started("b1", late, "k_b", "gpt-4o"),
                                ended("b1", late.plusSeconds(1), usage(1000, 1000)),
                        started("c1", late, "k_c", "gpt-4o"),
                                ended(
                                        "c1",
                                        1,
                                        late.plusSeconds(1),
                                        null,
                                        e -> e.setOutcome(Outcome.CLIENT_DISCONNECTED)));
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

    private static final HttpClient SHARED_HTTP = HttpClient.newHttpClient();

    /** {@code method path} on the query API at {@code port}, with JSON {@code body} if any. */
    static HttpResponse<String> send(
            int port, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(15))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return SHARED_HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
