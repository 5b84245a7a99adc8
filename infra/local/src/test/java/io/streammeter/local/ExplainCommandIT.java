package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code streammeter explain} answers a billing question about one stream from Kafka alone. */
@ExtendWith(KafkaExtension.class)
class ExplainCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dataDir;
    private static LocalStack stack;
    private static String prefix;
    private static String bootstrap;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        prefix = kafka.newCatalog("explain").prefix();
        bootstrap = kafka.bootstrapServers();
        stack =
                LocalStack.start(
                        new LocalStack.Options(
                                dataDir, bootstrap, 0, 0, 0, 0, null, null, null, prefix, null, 1));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldPrintTheLineItemAndEveryEventOfAStream() throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        stack.relayUrl() + "/v1/chat/completions"))
                                        .header("Authorization", "Bearer sk-explain-1")
                                        .header("Content-Type", "application/json")
                                        .header("X-Sim-Script", "chunks=4;usage=never")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                                                                + "\"stream_options\":{\"include_usage\":false},"
                                                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        String streamId = response.headers().firstValue("X-Stream-Id").orElseThrow();

        CliRun run =
                await("the line item of " + streamId)
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () -> explain(streamId),
                                r -> r.exitCode() == 0 && r.out().contains("\"line_item\" : {"));

        JsonNode explained = JSON.readTree(run.out());
        assertEquals(streamId, explained.path("stream_id").asText(), run.out());
        JsonNode item = explained.path("line_item");
        assertEquals("COMPLETED", item.path("outcome").asText(), run.out());
        assertEquals(true, item.path("missing_usage").asBoolean(), run.out());
        assertEquals("no_usage_reported", item.path("missing_usage_reason").asText(), run.out());
        assertEquals(200, item.path("upstream_status").asInt(), run.out());
        List<String> types = explained.path("events").findValuesAsText("type");
        assertEquals("started", types.get(0), run.out());
        assertEquals("ended", types.get(types.size() - 1), run.out());
        assertTrue(types.contains("chunk"), run.out());
        assertTrue(!run.out().contains("sk-explain-1"), "never the key");
    }

    @Test
    void shouldSayInOneLineWhenNothingIsKnown() {
        CliRun run = explain("s_nothing_here_at_all00");

        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(
                "streammeter: nothing is known of stream s_nothing_here_at_all00",
                run.err().strip(),
                run.toString());
    }

    private static CliRun explain(String streamId) {
        return CliRun.of("explain", streamId, "--bootstrap", bootstrap, "--topic-prefix", prefix);
    }
}
