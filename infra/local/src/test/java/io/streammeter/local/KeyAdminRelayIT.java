package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.relay.Relay;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.schemas.TopicCatalog;
import io.streammeter.simulator.Simulator;
import io.streammeter.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metering's admin API and a relay in {@code auth.mode=platform} on the real broker: a key created
 * over HTTP is served by the relay within 2 s, and once revoked over HTTP it is refused (401)
 * within 2 s.
 */
@ExtendWith(KafkaExtension.class)
class KeyAdminRelayIT {
    private static final String PEPPER = "key-admin-relay-pepper-0123456789";
    private static final String ADMIN_TOKEN = "admin-token-of-the-key-admin-relay-test";
    private static final Duration PROPAGATION = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @Test
    void shouldServeAKeyCreatedOverHttpAndRefuseItOnceRevokedWithinTwoSeconds(
            TestKafka kafka, @TempDir Path dir) throws Exception {
        TopicCatalog topics = kafka.newCatalog("key-admin-relay");
        Path token = dir.resolve("admin-token");
        Files.writeString(token, ADMIN_TOKEN);
        MeteringConfig meteringConfig =
                MeteringConfig.defaults()
                        .with("bootstrap-servers", kafka.bootstrapServers())
                        .with("topic-prefix", topics.prefix())
                        .with("application-id", "key-admin-relay-" + System.nanoTime())
                        .with("state-dir", dir.resolve("metering").toString())
                        .with("query-port", "0")
                        .with("auth.admin-token-file", token.toString())
                        .with("auth.key-id-pepper", PEPPER);
        Vertx vertx = Vertx.vertx();
        try (Metering metering = Metering.start(meteringConfig)) {
            Simulator simulator =
                    Simulator.start(vertx, SimulatorConfig.defaults().withPort(0))
                            .await(30, TimeUnit.SECONDS);
            Map<String, String> settings = new HashMap<>();
            settings.put("listen.port", "0");
            settings.put("listen.instances", "1");
            settings.put("upstream.name", "simulator");
            settings.put("upstream.base-url", simulator.baseUrl() + "/v1");
            settings.put("upstream.api-key", "sk-operator-stand-in");
            settings.put("auth.mode", "platform");
            settings.put("key-id.pepper", PEPPER);
            settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            settings.put("kafka.topic-prefix", topics.prefix());
            settings.put("spool.dir", dir.resolve("spool").toString());
            settings.put("metrics.auth", "token");
            settings.put("metrics.token-file", token.toString());
            Relay relay = Relay.start(vertx, RelayConfig.of(settings)).await(60, TimeUnit.SECONDS);
            String api = "http://127.0.0.1:" + metering.queryPort();
            String chat = "http://127.0.0.1:" + relay.port() + "/v1/chat/completions";

            // A first key, served without a time bound, warms the relay and its upstream pool up:
            // the bounds below measure the registry's propagation, not a cold JVM.
            String warmUp = JSON.readTree(create(api).body()).path("key").asText();
            await("the relay serves a first key")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> chat(chat, warmUp).statusCode() == 200);

            HttpResponse<String> created = create(api);
            assertEquals(201, created.statusCode(), created.body());
            long createdAt = System.nanoTime();
            JsonNode key = JSON.readTree(created.body());
            String raw = key.path("key").asText();
            String keyId = key.path("key_id").asText();

            await("the relay serves the new key")
                    .atMost(PROPAGATION)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> chat(chat, raw).statusCode() == 200);
            long served = System.nanoTime() - createdAt;

            HttpResponse<String> revoked =
                    send(
                            HttpRequest.newBuilder(
                                            URI.create(api + "/v1/admin/keys/" + keyId + "/revoke"))
                                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, revoked.statusCode(), revoked.body());
            long revokedAt = System.nanoTime();
            await("the relay refuses the revoked key")
                    .atMost(PROPAGATION)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> chat(chat, raw).statusCode() == 401);
            long refused = System.nanoTime() - revokedAt;
            HttpResponse<String> after = chat(chat, raw);
            assertEquals(401, after.statusCode(), after.body());
            assertTrue(after.body().contains("invalid_api_key"), after.body());
            System.out.printf(
                    "KeyAdminRelayIT: created->served %d ms, revoked->refused %d ms%n",
                    served / 1_000_000, refused / 1_000_000);

            relay.shutdown().await(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> create(String api) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(api + "/v1/admin/keys"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"acme\"}")));
    }

    private static HttpResponse<String> chat(String url, String key) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(CHAT)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
