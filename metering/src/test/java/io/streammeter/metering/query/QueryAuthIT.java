package io.streammeter.metering.query;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Fixtures;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.schemas.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read the query API: every route but the probes, unknown paths included, answers 401 with
 * no data to a caller without the admin token, with a wrong one, or with the token in the wrong
 * form; the forwarding header changes nothing for such a caller; and metering refuses to start with
 * an open query API unless told {@code auth.mode=none}.
 */
@ExtendWith(KafkaExtension.class)
class QueryAuthIT {
    private static final String RANGE =
            "&from=" + QueryApiIT.PREVIOUS_HOUR + "&to=" + QueryApiIT.HOUR.plusSeconds(3600);
    private static final List<String> ROUTES =
            List.of(
                    "/v1/spend?key_id=k_a" + RANGE,
                    "/v1/spend/top?limit=5" + RANGE,
                    "/v1/alerts/missing-usage?since=" + QueryApiIT.PREVIOUS_HOUR,
                    "/metrics",
                    "/v1/no-such-route",
                    "/v1/spend?key_id=k_a" + RANGE + "&x=/healthz");

    private static final String PEPPER = "query-auth-pepper-0123456789";
    private static final String KEY_A = "sk-sm-platform-key-a-0123456789";
    private static final String KEY_B = "sk-sm-platform-key-b-0123456789";
    private static final String KEY_REVOKED = "sk-sm-platform-key-revoked-0123";
    private static final String ID_A = PlatformKeys.keyId(PEPPER, KEY_A);
    private static final String ID_B = PlatformKeys.keyId(PEPPER, KEY_B);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Metering metering;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        TopicCatalog topics = kafka.newCatalog("query-auth");
        String appId = "metering-auth-" + Long.toString(System.nanoTime(), 36);
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                        topics.keys().keySerde().serializer(),
                        topics.keys().valueSerde().serializer())) {
            for (PlatformKey key :
                    List.of(
                            platformKey(KEY_A, "customer-a", KeyStatus.ACTIVE),
                            platformKey(KEY_B, "customer-b", KeyStatus.ACTIVE),
                            platformKey(KEY_REVOKED, "customer-c", KeyStatus.REVOKED))) {
                producer.send(
                                new org.apache.kafka.clients.producer.ProducerRecord<>(
                                        topics.keys().name(), key.getKeyId(), key))
                        .get();
            }
        }
        metering =
                Metering.start(
                        QueryApiIT.config(kafka, topics, appId, "one")
                                .with("auth.key-id-pepper", PEPPER));
        assertTrue(metering.awaitRunning(Duration.ofSeconds(60)));
        QueryApiIT.produce(kafka, topics);
        producePlatformStreams(kafka, topics);
        await("the admin sees k_a's spend")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            HttpResponse<String> r = send(ROUTES.get(0), admin());
                            return r.statusCode() == 200 && r.body().contains("\"requests\":3");
                        });
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
    }

    @Test
    void shouldAnswerEveryRouteToTheAdminToken() throws Exception {
        for (String route : ROUTES.subList(0, 4)) {
            HttpResponse<String> r = send(route, admin());
            assertEquals(200, r.statusCode(), route + " -> " + r.body());
        }
    }

    @Test
    void shouldRefuseEveryRouteWithoutAValidTokenAndShowNoData() throws Exception {
        List<Map<String, String>> wrongCallers =
                List.of(
                        Map.of(),
                        Map.of("Authorization", "Bearer not-the-admin-token-at-all"),
                        Map.of("Authorization", "Bearer " + QueryApiIT.ADMIN_TOKEN + "x"),
                        Map.of("Authorization", "Bearer " + QueryApiIT.ADMIN_TOKEN.substring(1)),
                        Map.of("Authorization", "Basic " + QueryApiIT.ADMIN_TOKEN),
                        Map.of("Authorization", QueryApiIT.ADMIN_TOKEN),
                        Map.of("Authorization", "Bearer "),
                        Map.of("X-Api-Key", QueryApiIT.ADMIN_TOKEN),
                        Map.of(QueryApi.LOCAL_HEADER, "1"),
                        Map.of(
                                QueryApi.LOCAL_HEADER,
                                "1",
                                "Authorization",
                                "Bearer wrong-token-wrong"));
        for (String route : ROUTES) {
            for (Map<String, String> headers : wrongCallers) {
                HttpResponse<String> r = send(route, headers);
                String what = route + " with " + headers.keySet() + " -> " + r.body();
                assertEquals(401, r.statusCode(), what);
                assertEquals(
                        "unauthorized",
                        QueryApiIT.JSON.readTree(r.body()).path("error").path("type").asText(),
                        what);
                for (String data : List.of("k_a", "k_b", "k_c", "cost", "requests", "metering_")) {
                    assertFalse(r.body().contains(data), what);
                }
                assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent(), what);
            }
        }
    }

    @Test
    void shouldKeepTheProbesOpen() throws Exception {
        assertEquals(200, send("/healthz", Map.of()).statusCode());
        assertEquals(200, send("/readyz", Map.of()).statusCode());
        HttpResponse<String> ready = send("/readyz", Map.of());
        assertFalse(ready.body().contains("k_a"), ready.body());
    }

    @Test
    void shouldRefuseToStartAnOpenQueryApiUnlessToldSo(@TempDir Path dir) throws Exception {
        MeteringConfig open = MeteringConfig.defaults().with("query-port", "0");
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> Metering.start(open));
        assertTrue(
                missing.getMessage().startsWith("auth.admin-token-file is required")
                        && missing.getMessage().contains("auth.mode=none")
                        && !missing.getMessage().contains("\n"),
                missing.getMessage());

        Path weak = dir.resolve("weak-token");
        Files.writeString(weak, "short");
        IllegalArgumentException tooShort =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Metering.start(open.with("auth.admin-token-file", weak.toString())));
        assertTrue(
                tooShort.getMessage().startsWith("auth.admin-token-file: "), tooShort.getMessage());
        assertFalse(tooShort.getMessage().contains("short\""), "never echoes the token");

        IllegalArgumentException unreadable =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Metering.start(
                                        open.with(
                                                "auth.admin-token-file",
                                                dir.resolve("absent").toString())));
        assertTrue(unreadable.getMessage().startsWith("auth.admin-token-file: cannot read"));
    }

    @Test
    void shouldLetAPlatformKeyReadItsOwnSpendOnlyAndShowItNothingElse() throws Exception {
        Map<String, String> keyA = Map.of("Authorization", "Bearer " + KEY_A);
        String own = "/v1/spend?key_id=" + ID_A + RANGE;
        await("the platform key registry is read")
                .atMost(Duration.ofSeconds(30))
                .until(() -> send(own, keyA).statusCode() == 200);
        assertEquals(
                200,
                send(own, Map.of("Authorization", "Bearer " + KEY_A, QueryApi.LOCAL_HEADER, "1"))
                        .statusCode());

        List<String> notItsOwn =
                List.of(
                        "/v1/spend?key_id=k_a" + RANGE,
                        "/v1/spend?key_id=" + ID_B + RANGE,
                        "/v1/spend?key_id=" + ID_A + "&key_id=k_a" + RANGE,
                        "/v1/spend/top?limit=5" + RANGE,
                        "/v1/alerts/missing-usage?since=" + QueryApiIT.PREVIOUS_HOUR,
                        "/metrics",
                        "/v1/no-such-route");
        for (String route : notItsOwn) {
            HttpResponse<String> r = send(route, keyA);
            assertEquals(403, r.statusCode(), route + " -> " + r.body());
            assertEquals(
                    "forbidden",
                    QueryApiIT.JSON.readTree(r.body()).path("error").path("type").asText());
            for (String data : List.of("k_a", "k_b", ID_B, "cost", "requests", "metering_")) {
                assertFalse(r.body().contains(data), route + " -> " + r.body());
            }
        }
        HttpResponse<String> revoked =
                send(
                        "/v1/spend?key_id=" + PlatformKeys.keyId(PEPPER, KEY_REVOKED) + RANGE,
                        Map.of("Authorization", "Bearer " + KEY_REVOKED));
        assertEquals(401, revoked.statusCode(), revoked.body());
    }

    /**
     * The cost of a streamed response is its line item, looked up by the X-Stream-Id the client
     * got: a platform key may read the line items of its own streams, and gets 403 and no data for
     * another key's.
     */
    @Test
    void shouldLetAPlatformKeyReadItsOwnLineItemsByStreamIdOnly() throws Exception {
        Map<String, String> keyA = Map.of("Authorization", "Bearer " + KEY_A);
        await("the streams of both platform keys are line items")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                send("/v1/line-items/own-a1", admin()).statusCode() == 200
                                        && send("/v1/line-items/other-b1", admin()).statusCode()
                                                == 200);
        await("the platform key registry is read")
                .atMost(Duration.ofSeconds(30))
                .until(() -> send("/v1/line-items/own-a1", keyA).statusCode() == 200);

        HttpResponse<String> own = send("/v1/line-items/own-a1", keyA);
        JsonNode item = QueryApiIT.JSON.readTree(own.body());
        assertEquals("own-a1", item.path("stream_id").asText(), own.body());
        assertEquals(ID_A, item.path("key_id").asText(), own.body());
        assertTrue(item.hasNonNull("cost_usd"), "the cost of the stream: " + own.body());
        HttpResponse<String> ownList = send("/v1/keys/" + ID_A + "/line-items", keyA);
        assertEquals(200, ownList.statusCode(), ownList.body());
        assertTrue(ownList.body().contains("own-a1"), ownList.body());

        for (String route :
                List.of(
                        "/v1/line-items/other-b1",
                        "/v1/line-items/a1",
                        "/v1/keys/" + ID_B + "/line-items",
                        "/v1/keys/k_a/line-items",
                        "/v1/line-items/own-a1/x",
                        "/v1/in-flight")) {
            HttpResponse<String> r = send(route, keyA);
            assertEquals(403, r.statusCode(), route + " -> " + r.body());
            assertEquals(
                    "forbidden",
                    QueryApiIT.JSON.readTree(r.body()).path("error").path("type").asText());
            for (String data : List.of("other-b1", ID_B, "k_a", "cost_usd", "gpt-4o")) {
                assertFalse(r.body().contains(data), route + " -> " + r.body());
            }
        }
        assertEquals(
                404,
                send("/v1/line-items/no-such-stream", keyA).statusCode(),
                "an unknown stream is no one's");
        HttpResponse<String> revoked =
                send("/v1/line-items/own-a1", Map.of("Authorization", "Bearer " + KEY_REVOKED));
        assertEquals(401, revoked.statusCode(), revoked.body());
    }

    private static PlatformKey platformKey(String raw, String customer, KeyStatus status) {
        return PlatformKey.newBuilder()
                .setKeyId(PlatformKeys.keyId(PEPPER, raw))
                .setCustomer(customer)
                .setTags(Map.of())
                .setAllowedModels(List.of())
                .setStatus(status)
                .setCreatedAt(java.time.Instant.now())
                .setUpdatedAt(java.time.Instant.now())
                .build();
    }

    /** One stream of each platform key, as the relay records them. */
    private static void producePlatformStreams(TestKafka kafka, TopicCatalog topics)
            throws Exception {
        var topic = topics.streamEvents();
        java.time.Instant at = QueryApiIT.HOUR.plusSeconds(60);
        List<io.streammeter.avro.StreamEvent> events =
                List.of(
                        Fixtures.started("own-a1", at, ID_A, "gpt-4o-mini"),
                        Fixtures.ended("own-a1", at.plusSeconds(1), Fixtures.usage(1000, 500)),
                        Fixtures.started("other-b1", at, ID_B, "gpt-4o"),
                        Fixtures.ended("other-b1", at.plusSeconds(1), Fixtures.usage(1000, 500)));
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        kafka.clientProperties(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            for (var e : events) {
                producer.send(
                                new org.apache.kafka.clients.producer.ProducerRecord<>(
                                        topic.name(), e.getStreamId(), e))
                        .get();
            }
        }
    }

    private static Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + QueryApiIT.ADMIN_TOKEN);
    }

    private static HttpResponse<String> send(String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + metering.queryPort() + path))
                        .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
