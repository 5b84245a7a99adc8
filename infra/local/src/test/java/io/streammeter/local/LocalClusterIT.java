package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streammeter local --brokers 3}: the stack on a three-broker in-process cluster bills a
 * streamed request, and every topic of the catalog is replicated three ways with two in sync.
 */
class LocalClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dataDir;

    @Test
    void shouldBillARequestOnAThreeBrokerStackWithTopicsReplicatedThreeWays() throws Exception {
        long began = System.nanoTime();
        try (LocalStack stack =
                LocalStack.start(
                        new LocalStack.Options(
                                dataDir,
                                null,
                                0,
                                0,
                                0,
                                0,
                                null,
                                null,
                                null,
                                TopicCatalog.DEFAULT_PREFIX,
                                null,
                                1,
                                3,
                                null))) {
            System.out.printf(
                    "LocalClusterIT: 3-broker local stack up in %d ms%n",
                    (System.nanoTime() - began) / 1_000_000);
            assertReplicatedThreeWays(stack.bootstrapServers());

            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(stack.relayUrl() + "/v1/chat/completions"))
                                    .header("Authorization", "Bearer sk-cluster-1")
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                                                            + "\"messages\":[{\"role\":\"user\","
                                                            + "\"content\":\"Hello\"}]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("data: [DONE]"), response.body());

            String keyId = KeyIds.derive(Pepper.load(dataDir), "sk-cluster-1");
            Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
            URI spend =
                    URI.create(
                            stack.apiUrl()
                                    + "/v1/spend?key_id="
                                    + keyId
                                    + "&from="
                                    + hour.minus(Duration.ofHours(1))
                                    + "&to="
                                    + hour.plus(Duration.ofHours(1)));
            await("the request billed")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                JsonNode body = get(spend, stack.adminToken());
                                assertEquals(
                                        1,
                                        body.path("total").path("requests").asLong(),
                                        "body: " + body);
                                assertTrue(
                                        body.path("total").path("prompt_tokens").asLong() > 0,
                                        "body: " + body);
                            });
        }
    }

    private static void assertReplicatedThreeWays(String bootstrap) throws Exception {
        TopicCatalog catalog = new TopicCatalog(TopicCatalog.DEFAULT_PREFIX);
        List<String> names = catalog.all().stream().map(Topic::name).toList();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(names).allTopicNames().get();
            for (TopicDescription topic : topics.values()) {
                topic.partitions()
                        .forEach(
                                p ->
                                        assertEquals(
                                                3,
                                                p.replicas().size(),
                                                topic.name() + " partition " + p.partition()));
            }
            List<ConfigResource> resources =
                    names.stream()
                            .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                            .toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            configs.forEach(
                    (resource, config) ->
                            assertEquals(
                                    "2",
                                    config.get("min.insync.replicas").value(),
                                    resource.name()));
        }
    }

    private JsonNode get(URI uri, String token) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return JSON.readTree(response.body());
    }
}
