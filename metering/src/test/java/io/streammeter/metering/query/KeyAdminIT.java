package io.streammeter.metering.query;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammeter.avro.PlatformKey;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Metering;
import io.streammeter.metering.keys.KeyTopic;
import io.streammeter.schemas.TopicCatalog;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin HTTP API for platform keys, against the real broker: admin token only (no token or a
 * wrong one 401, a platform key 403, and no data either way); create, list, show, change and revoke
 * write the keys topic; bad input is a 400 naming the field; the raw key is in the create response
 * and nowhere else (not in list, show, the topic or the logs).
 */
@ExtendWith(KafkaExtension.class)
class KeyAdminIT {
    private static final String PEPPER = "key-admin-pepper-0123456789";
    private static final String BASE = "/v1/admin/keys";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StringWriter LOGS = new StringWriter();

    private static Metering metering;
    private static TopicCatalog topics;
    private static TestKafka broker;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        captureLogs();
        broker = kafka;
        topics = kafka.newCatalog("key-admin");
        String appId = "metering-key-admin-" + Long.toString(System.nanoTime(), 36);
        metering =
                Metering.start(
                        QueryApiIT.config(kafka, topics, appId, "one")
                                .with("auth.key-id-pepper", PEPPER));
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
        Configuration config = context().getConfiguration();
        config.removeLogger("io.streammeter");
        config.getRootLogger().removeAppender("key-admin-capture");
        context().updateLoggers();
    }

    @Test
    void shouldCreateListShowChangeAndRevokeAKeyShowingTheRawKeyOnce() throws Exception {
        HttpResponse<String> created =
                send(
                        "POST",
                        BASE,
                        admin(),
                        "{\"customer\":\"acme\",\"tags\":{\"team\":\"search\"},"
                                + "\"upstream_credential\":\"openai-main\","
                                + "\"allowed_models\":[\"gpt-4o*\"],\"budget_usd\":25.5,"
                                + "\"budget_period\":\"day\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode key = json(created);
        String raw = key.path("key").asText();
        String keyId = key.path("key_id").asText();
        assertTrue(raw.startsWith("sk-sm-"), created.body());
        assertEquals(PlatformKeys.keyId(PEPPER, raw), keyId, "the relays' key id");
        assertEquals("acme", key.path("customer").asText());
        assertEquals("active", key.path("status").asText());
        assertEquals("search", key.path("tags").path("team").asText());
        assertEquals("openai-main", key.path("upstream_credential").asText());
        assertEquals("gpt-4o*", key.path("allowed_models").path(0).asText());
        assertEquals("25.5", key.path("budget_usd").asText());
        assertEquals("day", key.path("budget_period").asText());

        // Written before the answer: the topic has it at once.
        try (KeyTopic topic = keyTopic()) {
            PlatformKey stored = topic.find(keyId).orElseThrow();
            assertEquals("acme", stored.getCustomer());
            assertEquals(25_500_000L, stored.getBudgetMicros());
            assertFalse(stored.toString().contains(raw), "the raw key is stored nowhere");
        }

        HttpResponse<String> list = send("GET", BASE, admin(), null);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains(keyId), list.body());
        assertFalse(list.body().contains(raw), "list never shows a raw key");
        assertFalse(list.body().contains("\"key\":"), list.body());

        HttpResponse<String> show = send("GET", BASE + "/" + keyId, admin(), null);
        assertEquals(200, show.statusCode(), show.body());
        assertEquals(keyId, json(show).path("key_id").asText());
        assertFalse(show.body().contains(raw), "show never shows the raw key");

        HttpResponse<String> patched =
                send(
                        "PATCH",
                        BASE + "/" + keyId,
                        admin(),
                        "{\"customer\":\"acme-eu\",\"tags\":{\"project\":\"p1\"},"
                                + "\"upstream_credential\":null,\"allowed_models\":[],"
                                + "\"budget_usd\":\"100\",\"budget_period\":\"month\","
                                + "\"requests_per_minute\":60,\"tokens_per_minute\":90000}");
        assertEquals(200, patched.statusCode(), patched.body());
        JsonNode changed = json(patched);
        assertEquals("acme-eu", changed.path("customer").asText());
        assertEquals("search", changed.path("tags").path("team").asText(), "tags merge");
        assertEquals("p1", changed.path("tags").path("project").asText());
        assertTrue(changed.path("upstream_credential").isNull(), patched.body());
        assertEquals(0, changed.path("allowed_models").size());
        assertEquals("100", changed.path("budget_usd").asText());
        assertEquals("month", changed.path("budget_period").asText());
        assertEquals(60, changed.path("requests_per_minute").asInt());
        assertEquals(90000, changed.path("tokens_per_minute").asLong());
        assertFalse(patched.body().contains(raw));

        HttpResponse<String> revoked = send("POST", BASE + "/" + keyId + "/revoke", admin(), null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("revoked", json(revoked).path("status").asText());
        HttpResponse<String> after = send("GET", BASE + "/" + keyId, admin(), null);
        assertEquals("revoked", json(after).path("status").asText(), after.body());
        assertEquals("acme-eu", json(after).path("customer").asText(), "revoke keeps the rest");

        HttpResponse<String> unknown = send("GET", BASE + "/k_nope", admin(), null);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(404, send("PATCH", BASE + "/k_nope", admin(), "{}").statusCode());
        assertEquals(404, send("POST", BASE + "/k_nope/revoke", admin(), null).statusCode());

        String logs;
        synchronized (LOGS) {
            logs = LOGS.toString();
        }
        assertFalse(logs.contains(raw), "the raw key is never logged");
    }

    @Test
    void shouldRefuseEveryRouteToCallersWithoutTheAdminToken() throws Exception {
        HttpResponse<String> created = send("POST", BASE, admin(), "{\"customer\":\"beta\"}");
        assertEquals(201, created.statusCode(), created.body());
        String platformKey = json(created).path("key").asText();
        String keyId = json(created).path("key_id").asText();
        Map<String, String> asPlatformKey = Map.of("Authorization", "Bearer " + platformKey);
        await("metering follows the new platform key")
                .atMost(Duration.ofSeconds(10))
                .until(() -> send("GET", BASE, asPlatformKey, null).statusCode() == 403);

        List<String[]> routes =
                List.of(
                        new String[] {"POST", BASE, "{\"customer\":\"mallory\"}"},
                        new String[] {"GET", BASE, null},
                        new String[] {"GET", BASE + "/" + keyId, null},
                        new String[] {"PATCH", BASE + "/" + keyId, "{\"customer\":\"mallory\"}"},
                        new String[] {"POST", BASE + "/" + keyId + "/revoke", null});
        List<Object[]> callers = new ArrayList<>();
        callers.add(new Object[] {Map.of(), 401});
        callers.add(
                new Object[] {
                    Map.of("Authorization", "Bearer " + QueryApiIT.ADMIN_TOKEN + "x"), 401
                });
        callers.add(new Object[] {Map.of("Authorization", "Basic " + QueryApiIT.ADMIN_TOKEN), 401});
        callers.add(new Object[] {asPlatformKey, 403});
        for (String[] route : routes) {
            for (Object[] caller : callers) {
                @SuppressWarnings("unchecked")
                Map<String, String> headers = (Map<String, String>) caller[0];
                HttpResponse<String> r = send(route[0], route[1], headers, route[2]);
                String what = route[0] + " " + route[1] + " as " + headers.keySet();
                assertEquals(caller[1], r.statusCode(), what + " -> " + r.body());
                JsonNode error = json(r).path("error");
                assertFalse(error.path("message").asText().isEmpty(), what + " -> " + r.body());
                for (String data : List.of(keyId, "beta", "sk-sm-", "customer")) {
                    assertFalse(r.body().contains(data), what + " -> " + r.body());
                }
            }
        }
        // Nothing any of them sent was written.
        try (KeyTopic topic = keyTopic()) {
            PlatformKey key = topic.find(keyId).orElseThrow();
            assertEquals("beta", key.getCustomer());
            assertEquals("ACTIVE", key.getStatus().name());
            assertFalse(
                    topic.readAll().values().stream()
                            .anyMatch(k -> k.getCustomer().equals("mallory")));
        }
    }

    @Test
    void shouldAnswerBadInputWith400NamingTheField() throws Exception {
        HttpResponse<String> created = send("POST", BASE, admin(), "{\"customer\":\"gamma\"}");
        assertEquals(201, created.statusCode(), created.body());
        String keyId = json(created).path("key_id").asText();
        Map<String, String> cases =
                Map.ofEntries(
                        Map.entry("{}", "customer"),
                        Map.entry("{\"customer\":\"  \"}", "customer"),
                        Map.entry("{\"customer\":7}", "customer"),
                        Map.entry("{\"customer\":\"c\",\"budget_usd\":-1}", "budget_usd"),
                        Map.entry("{\"customer\":\"c\",\"budget_usd\":\"lots\"}", "budget_usd"),
                        Map.entry("{\"customer\":\"c\",\"budget_usd\":0.0000001}", "budget_usd"),
                        Map.entry(
                                "{\"customer\":\"c\",\"budget_period\":\"week\"}", "budget_period"),
                        Map.entry(
                                "{\"customer\":\"c\",\"requests_per_minute\":0}",
                                "requests_per_minute"),
                        Map.entry(
                                "{\"customer\":\"c\",\"tokens_per_minute\":1.5}",
                                "tokens_per_minute"),
                        Map.entry("{\"customer\":\"c\",\"tags\":[\"x\"]}", "tags"),
                        Map.entry("{\"customer\":\"c\",\"tags\":{\"a b\":\"x\"}}", "tags"),
                        Map.entry(
                                "{\"customer\":\"c\",\"allowed_models\":\"gpt\"}",
                                "allowed_models"),
                        Map.entry("{\"customer\":\"c\",\"key_id\":\"k_mine\"}", "key_id"),
                        Map.entry("[1]", "body"),
                        Map.entry("{not json", "body"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = send("POST", BASE, admin(), c.getKey());
            String what = c.getKey() + " -> " + r.body();
            assertEquals(400, r.statusCode(), what);
            JsonNode error = json(r).path("error");
            assertEquals(c.getValue(), error.path("parameter").asText(), what);
            assertTrue(error.path("message").asText().startsWith(c.getValue()), what);
        }
        HttpResponse<String> negative =
                send("PATCH", BASE + "/" + keyId, admin(), "{\"budget_usd\":-1}");
        assertEquals(400, negative.statusCode(), negative.body());
        // The same words as `streammeter keys set --budget-usd -1` (KeysCommandIT).
        assertEquals(
                "budget_usd must not be negative",
                json(negative).path("error").path("message").asText());
        try (KeyTopic topic = keyTopic()) {
            assertEquals(null, topic.find(keyId).orElseThrow().getBudgetMicros(), "not written");
        }
    }

    @Test
    void shouldRefuseToCreateKeysWithoutThePepperNamingTheSetting() throws Exception {
        String appId = "metering-key-admin-nopepper-" + Long.toString(System.nanoTime(), 36);
        try (Metering noPepper = Metering.start(QueryApiIT.config(broker, topics, appId, "one"))) {
            String url = "http://127.0.0.1:" + noPepper.queryPort() + BASE;
            HttpRequest.Builder post =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(15))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"delta\"}"));
            admin().forEach(post::header);
            HttpResponse<String> r = HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(
                    json(r).path("error").path("message").asText().contains("auth.key-id-pepper"),
                    r.body());
            HttpRequest.Builder get =
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
            admin().forEach(get::header);
            HttpResponse<String> list =
                    HTTP.send(get.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode(), "the other routes need no pepper: " + list.body());
            assertFalse(list.body().contains("delta"), list.body());
        }
    }

    private static KeyTopic keyTopic() {
        return new KeyTopic(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                topics.keys(),
                Duration.ofSeconds(10));
    }

    private static Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + QueryApiIT.ADMIN_TOKEN);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return QueryApiIT.JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(
            String method, String path, Map<String, String> headers, String body) throws Exception {
        return QueryApiIT.send(metering.queryPort(), method, path, headers, body);
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    /** Everything metering logs, at every level, into {@link #LOGS}. */
    private static void captureLogs() {
        Configuration config = context().getConfiguration();
        WriterAppender appender =
                WriterAppender.newBuilder()
                        .setName("key-admin-capture")
                        .setTarget(LOGS)
                        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build())
                        .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        LoggerConfig logger = new LoggerConfig("io.streammeter", Level.ALL, false);
        logger.addAppender(appender, null, null);
        config.addLogger("io.streammeter", logger);
        context().updateLoggers();
    }
}
