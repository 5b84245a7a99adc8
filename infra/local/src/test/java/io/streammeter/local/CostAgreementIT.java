package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import io.streammeter.simulator.Script;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay and metering price with one table and one rounding rule (issue 14): for every priced
 * model of the bundled table, a non-streamed request's {@code X-Streammeter-Cost-Usd} equals the
 * cost of the line item metering made of that stream, looked up by its {@code X-Stream-Id} in the
 * query API. The whole stack in this JVM (broker, metering, simulator, relay), both reading the
 * same price-file (a copy of the bundled table).
 */
@ExtendWith(KafkaExtension.class)
class CostAgreementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir static Path dataDir;
    private static LocalStack stack;
    private static PriceTable table;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        Path prices = dataDir.resolve("prices.yaml");
        try (InputStream in =
                PriceFile.class.getClassLoader().getResourceAsStream(PriceFile.BUNDLED)) {
            Files.write(prices, in.readAllBytes());
        }
        table = PriceFile.load(prices);
        stack =
                LocalStack.start(
                        new LocalStack.Options(
                                dataDir,
                                kafka.bootstrapServers(),
                                0,
                                0,
                                0,
                                0,
                                null,
                                null,
                                null,
                                kafka.newCatalog("cost").prefix(),
                                prices,
                                1));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A model name each entry of the table prices: its pattern with the wildcards filled in. */
    private static Set<String> pricedModels() {
        Set<String> models = new LinkedHashSet<>();
        for (PriceEntry entry : table.entries()) {
            models.add(entry.model().text().replace("*", "").replace("?", "x"));
        }
        return models;
    }

    @Test
    void shouldPutTheLineItemsCostOnTheResponseForEveryPricedModel() throws Exception {
        Set<String> models = pricedModels();
        assertTrue(models.size() >= 10, "the bundled table prices many models: " + models);
        Map<String, HttpResponse<String>> responses = new LinkedHashMap<>();
        for (String model : models) {
            assertTrue(table.find(model, Instant.now()).isPresent(), model + " is priced");
            responses.put(model, model.startsWith("claude") ? messages(model) : chat(model));
        }

        for (var sent : responses.entrySet()) {
            String model = sent.getKey();
            HttpResponse<String> response = sent.getValue();
            assertEquals(200, response.statusCode(), model + ": " + response.body());
            String header = response.headers().firstValue("X-Streammeter-Cost-Usd").orElse(null);
            assertNotNull(header, model + " has a cost header: " + response.headers().map());
            assertNull(response.headers().firstValue("X-Streammeter-Unpriced").orElse(null), model);
            assertTrue(
                    new BigDecimal(header).signum() > 0,
                    model + ": a priced model's tokens cost something: " + header);
            String streamId = response.headers().firstValue("X-Stream-Id").orElseThrow();

            JsonNode item =
                    await("the line item of " + model + "'s stream " + streamId)
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(300))
                            .until(() -> lineItem(streamId), node -> node != null);
            String context = model + ": header " + header + ", line item " + item;
            assertEquals(model, item.path("model").asText(), context);
            assertEquals(header, item.path("cost_usd").asText(), context);
            assertEquals(
                    table.find(model, Instant.now()).orElseThrow().label(),
                    item.path("price_entry").asText(),
                    context);
        }
    }

    /** A non-streamed chat completion whose usage includes cached input tokens. */
    private static HttpResponse<String> chat(String model) throws Exception {
        String body =
                JSON.createObjectNode()
                        .put("model", model)
                        .set(
                                "messages",
                                JSON.createArrayNode()
                                        .add(
                                                JSON.createObjectNode()
                                                        .put("role", "user")
                                                        .put(
                                                                "content",
                                                                "Tell me a long story about "
                                                                        + model
                                                                        + ", please.")))
                        .toString();
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.relayUrl() + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer sk-cost-agreement-openai")
                        .header(Script.HEADER, "chunks=60;cached=3;reasoning=5")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A non-streamed Anthropic message that reads from and writes to the prompt cache. */
    private static HttpResponse<String> messages(String model) throws Exception {
        String body =
                JSON.createObjectNode()
                        .put("model", model)
                        .put("max_tokens", 1024)
                        .set(
                                "messages",
                                JSON.createArrayNode()
                                        .add(
                                                JSON.createObjectNode()
                                                        .put("role", "user")
                                                        .put(
                                                                "content",
                                                                "Tell me a long story about "
                                                                        + model
                                                                        + ", please.")))
                        .toString();
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.relayUrl() + "/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", "sk-cost-agreement-anthropic")
                        .header("anthropic-version", "2023-06-01")
                        .header(Script.HEADER, "chunks=60;cache-read=37;cache-write=11")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The query API's line item of {@code streamId}, or null while it is not there yet. */
    private static JsonNode lineItem(String streamId) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(stack.apiUrl() + "/v1/line-items/" + streamId))
                                .header("Authorization", "Bearer " + stack.adminToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
