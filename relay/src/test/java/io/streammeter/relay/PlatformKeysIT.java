package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.schemas.Topic;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform mode against the real broker with two relays following one key registry: a registered
 * key is served with its named upstream credential (the caller's key never goes upstream), an
 * unknown key gets 401, a model outside the key's globs 403, and a revoked key is refused by both
 * relays within two seconds, as a key created while they run is accepted by both.
 */
@ExtendWith(KafkaExtension.class)
class PlatformKeysIT {
    private static final String SSE =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},"
                    + "\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
                    + "\"completion_tokens\":1,\"total_tokens\":6}}\n\ndata: [DONE]\n\n";
    private static final String UPSTREAM_SECRET = "sk-upstream-acme-credential";
    private static final String KEY_A = "sk-sm-platform-key-of-customer-a";
    private static final String KEY_B = "sk-sm-platform-key-of-customer-b";

    @TempDir static Path dir;
    private static Harness harness;
    private static HttpServer upstream;
    private static final List<String> upstreamAuthorizations = new CopyOnWriteArrayList<>();
    private static final List<String> upstreamHeaders = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, PlatformKey> producer;
    private static Topic<String, PlatformKey> keys;
    private static final List<Relay> relays = new ArrayList<>();

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        harness = Harness.start(kafka, "platform-keys");
        upstream =
                Harness.await(
                        harness.vertx()
                                .createHttpServer()
                                .requestHandler(
                                        request -> {
                                            upstreamAuthorizations.add(
                                                    String.valueOf(
                                                            request.getHeader(
                                                                    request.path()
                                                                                    .endsWith(
                                                                                            "/messages")
                                                                            ? "x-api-key"
                                                                            : "Authorization")));
                                            upstreamHeaders.add(request.headers().toString());
                                            request.response()
                                                    .putHeader("Content-Type", "text/event-stream")
                                                    .end(SSE);
                                        })
                                .listen(0, "127.0.0.1"));
        keys = harness.catalog().keys();
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        keys.keySerde().serializer(),
                        keys.valueSerde().serializer());
        write(key(KEY_A, "customer-a", KeyStatus.ACTIVE));

        Path credentials = dir.resolve("credentials.properties");
        Files.writeString(credentials, "acme=" + UPSTREAM_SECRET + "\n");
        for (int i = 0; i < 2; i++) {
            relays.add(
                    harness.startRelay(
                            Map.of(
                                    "auth.mode",
                                    "platform",
                                    "auth.credentials-file",
                                    credentials.toString(),
                                    "upstream.base-url",
                                    "http://127.0.0.1:" + upstream.actualPort() + "/v1",
                                    "anthropic.base-url",
                                    "http://127.0.0.1:" + upstream.actualPort() + "/v1",
                                    "relay.instance-id",
                                    "relay-platform-" + i)));
        }
    }

    @AfterAll
    static void stop() {
        for (Relay relay : relays) {
            Harness.await(relay.shutdown());
        }
        if (producer != null) {
            producer.close();
        }
        Harness.await(upstream.close());
        harness.close();
    }

    @Test
    void shouldServeARegisteredKeyWithItsCredentialOnEveryRelayAndNeverForwardTheCallersKey() {
        for (Relay relay : relays) {
            Http.Response response = chat(relay, KEY_A, Bodies.streamed());
            assertEquals(200, response.status(), response.text());
            assertTrue(response.text().contains("[DONE]"), response.text());
            RecordedStream stream = harness.recorded(response.streamId());
            assertEquals(KeyIds.derive(Harness.PEPPER, KEY_A), stream.started().getKeyId());
            assertEquals("customer-a", stream.started().getTags().get("customer"));
        }
        Http.Response messages =
                Http.post(
                        Harness.url(relays.get(1), Harness.MESSAGES),
                        Bodies.messagesStreamed(),
                        "x-api-key",
                        KEY_A,
                        "Authorization",
                        "Bearer " + KEY_A,
                        "anthropic-version",
                        Harness.ANTHROPIC_VERSION);
        assertEquals(200, messages.status(), messages.text());
        assertFalse(upstreamAuthorizations.isEmpty());
        for (String authorization : upstreamAuthorizations) {
            assertTrue(
                    authorization.equals("Bearer " + UPSTREAM_SECRET)
                            || authorization.equals(UPSTREAM_SECRET),
                    authorization);
        }
        assertTrue(upstreamAuthorizations.contains(UPSTREAM_SECRET), "messages used x-api-key");
        for (String headers : upstreamHeaders) {
            assertFalse(headers.contains(KEY_A), "the caller's key went upstream: " + headers);
        }
    }

    @Test
    void shouldRefuseAnUnknownKeyWithAnOpenAiStyle401NamingNoKey() {
        for (Relay relay : relays) {
            Http.Response response = chat(relay, "sk-sm-nobody-issued-this-key", Bodies.streamed());
            assertEquals(401, response.status(), response.text());
            assertTrue(response.text().contains("\"code\":\"invalid_api_key\""), response.text());
            assertFalse(response.text().contains("sk-sm-nobody"), response.text());
        }
    }

    @Test
    void shouldRefuseAModelOutsideTheKeysGlobs() {
        Http.Response response =
                chat(
                        relays.get(0),
                        KEY_A,
                        Bodies.streamed("").replace("gpt-4o-mini", "o1-preview"));
        assertEquals(403, response.status(), response.text());
        assertTrue(response.text().contains("model_not_allowed"), response.text());
    }

    @Test
    void shouldFollowCreationAndRevocationOnEveryRelayWithinTwoSeconds() throws Exception {
        for (Relay relay : relays) {
            assertEquals(401, chat(relay, KEY_B, Bodies.streamed()).status());
        }
        write(key(KEY_B, "customer-b", KeyStatus.ACTIVE));
        await("the new key works on both relays")
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () ->
                                relays.stream()
                                        .allMatch(
                                                r ->
                                                        chat(r, KEY_B, Bodies.streamed()).status()
                                                                == 200));

        write(key(KEY_B, "customer-b", KeyStatus.REVOKED));
        long revoked = System.nanoTime();
        await("the revoked key is refused by both relays")
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () ->
                                relays.stream()
                                        .allMatch(
                                                r ->
                                                        chat(r, KEY_B, Bodies.streamed()).status()
                                                                == 401));
        long millis = (System.nanoTime() - revoked) / 1_000_000;
        assertTrue(millis < 2_000, "refused everywhere after " + millis + " ms");
    }

    private static Http.Response chat(Relay relay, String key, String body) {
        return Http.post(Harness.url(relay, Harness.CHAT), body, "Authorization", "Bearer " + key);
    }

    private static PlatformKey key(String raw, String customer, KeyStatus status) {
        Instant now = Instant.now();
        return PlatformKey.newBuilder()
                .setKeyId(KeyIds.derive(Harness.PEPPER, raw))
                .setCustomer(customer)
                .setTags(Map.of("team", "search"))
                .setUpstreamCredential("acme")
                .setAllowedModels(List.of("gpt-4o*", "claude-*"))
                .setStatus(status)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    private static void write(PlatformKey key) throws Exception {
        producer.send(new ProducerRecord<>(keys.name(), key.getKeyId(), key))
                .get(10, TimeUnit.SECONDS);
    }
}
