package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.simulator.Api;
import io.streammeter.simulator.ExpectedUsage;
import io.streammeter.simulator.Script;
import io.streammeter.simulator.SimUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack in this JVM (broker, metering, simulator, relay, as {@code streammeter local}
 * runs them), driven by the official OpenAI and Anthropic SDKs across four keys: streams that ask
 * for usage and streams that don't, a stream the client cuts off, streams that never get usage,
 * non-streaming calls, Anthropic messages with prompt caching, thinking and tools. The export must
 * bill exactly the usage the simulator sent, per key; each stream without usage must raise exactly
 * one alert; the query API must agree with the export.
 */
@ExtendWith(KafkaExtension.class)
class EndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "gpt-4o-mini";

    private static final java.util.concurrent.atomic.AtomicInteger EXPORTS =
            new java.util.concurrent.atomic.AtomicInteger();

    @TempDir static Path dataDir;
    private static LocalStack stack;
    private static String prefix;
    private static String bootstrap;

    /** What was sent per key: the usage the simulator reports, and streams left without. */
    private final Map<String, long[]> expectedTokens = new TreeMap<>();

    private final Set<String> streamsWithoutUsage = new java.util.TreeSet<>();

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        prefix = kafka.newCatalog("e2e").prefix();
        bootstrap = kafka.bootstrapServers();
        stack =
                LocalStack.start(
                        new LocalStack.Options(
                                dataDir, bootstrap, 0, 0, 0, 0, null, null, null, prefix, null, 2));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldBillExactlyWhatTheUpstreamReportedAndAlertOnEveryStreamWithoutUsage()
            throws Exception {
        long prompt0 = stack.simulator().stats().promptTokens();
        long completion0 = stack.simulator().stats().completionTokens();

        streamed("sk-e2e-alpha", "chunks=6", true);
        streamed("sk-e2e-alpha", "chunks=10;cached=3;reasoning=2", true);
        streamed("sk-e2e-alpha", "tools=3", true);
        streamed("sk-e2e-bravo", "chunks=5", false);
        streamed("sk-e2e-bravo", "chunks=8;text=utf8", false);
        streamed("sk-e2e-bravo", "chunks=4;usage=finish", false);
        cutOff("sk-e2e-bravo", "chunks=40;delay-ms=15");
        nonStreaming("sk-e2e-charlie", "chunks=5");
        nonStreaming("sk-e2e-charlie", "chunks=9;cached=2");
        streamed("sk-e2e-charlie", "usage=never", false);
        streamed("sk-e2e-charlie", "chunks=3;usage=never", true);
        messages("sk-e2e-delta", "chunks=7;cache-read=64;cache-write=16", true);
        messages("sk-e2e-delta", "chunks=5;thinking=2;pings=true", true);
        messages("sk-e2e-delta", "tools=2", false);

        Map<String, Long> requests =
                Map.of(
                        keyId("sk-e2e-alpha"),
                        3L,
                        keyId("sk-e2e-bravo"),
                        4L,
                        keyId("sk-e2e-charlie"),
                        4L,
                        keyId("sk-e2e-delta"),
                        3L);
        // The export reads committed output only (exactly-once), so it is what billing sees.
        Map<String, long[]> exported =
                await("the export holds all 14 streams of the four keys")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                EndToEndIT::exportTotals,
                                totals ->
                                        requests.entrySet().stream()
                                                .allMatch(
                                                        key ->
                                                                totals.containsKey(key.getKey())
                                                                        && totals.get(key.getKey())[
                                                                                        3]
                                                                                == key.getValue()));
        for (var expected : expectedTokens.entrySet()) {
            long[] actual = exported.get(expected.getKey());
            JsonNode query = queryTotal(expected.getKey());
            String context =
                    expected.getKey()
                            + " exported "
                            + java.util.Arrays.toString(actual)
                            + "; line items:\n"
                            + lineItems(expected.getKey());
            assertEquals(expected.getValue()[0], actual[0], "prompt tokens of " + context);
            assertEquals(expected.getValue()[1], actual[1], "completion tokens of " + context);
            assertEquals(query.path("prompt_tokens").asLong(), actual[0], "query API: " + query);
            assertEquals(
                    query.path("completion_tokens").asLong(), actual[1], "query API: " + query);
            assertEquals(query.path("cost_micros").asLong(), actual[2], "query API: " + query);
        }
        assertTrue(exported.get(keyId("sk-e2e-alpha"))[2] > 0, "gpt-4o-mini is priced");
        // The simulator counts Anthropic's input_tokens; billing adds the cache reads and writes.
        long promptSent = stack.simulator().stats().promptTokens() - prompt0 + anthropicCacheTokens;
        long completionSent = stack.simulator().stats().completionTokens() - completion0;
        assertEquals(promptSent, exported.values().stream().mapToLong(t -> t[0]).sum());
        assertEquals(completionSent, exported.values().stream().mapToLong(t -> t[1]).sum());

        List<MissingUsageAlert> alerts = alerts();
        assertEquals(
                streamsWithoutUsage,
                alerts.stream().map(MissingUsageAlert::getStreamId).collect(Collectors.toSet()),
                "one alert per stream without usage: " + alerts);
        assertEquals(
                streamsWithoutUsage.size(), alerts.size(), "no stream alerted twice: " + alerts);
        for (MissingUsageAlert alert : alerts) {
            assertEquals(keyId("sk-e2e-charlie"), alert.getKeyId(), alert.toString());
            assertEquals("no_usage_reported", alert.getReason(), alert.toString());
        }
    }

    // --- traffic through the relay, and what the simulator will have reported for it

    private void streamed(String key, String script, boolean askForUsage) throws Exception {
        var params = params("Count to " + script.length() + ", please.");
        if (askForUsage) {
            params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        OpenAIClient client = client(key, script);
        String streamId;
        try {
            HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
                    client.chat().completions().withRawResponse().createStreaming(params.build());
            streamId = response.headers().values("X-Stream-Id").get(0);
            try (StreamResponse<ChatCompletionChunk> stream = response.parse()) {
                stream.stream().forEach(chunk -> {});
            }
        } finally {
            client.close();
        }
        expect(key, script, "Count to " + script.length() + ", please.", true, streamId);
    }

    private void cutOff(String key, String script) throws Exception {
        String prompt = "A long story, please.";
        OpenAIClient client = client(key, script);
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params(prompt).build())) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            for (int i = 0; i < 3; i++) {
                chunks.next();
            }
        } finally {
            client.close(); // closed mid-stream: under the drain policy the relay still reads the
            // usage
        }
        expect(key, script, prompt, true, null);
    }

    /** One Anthropic Messages call through the relay with the official Anthropic SDK. */
    private void messages(String key, String script, boolean streaming) {
        String prompt = "Tell me about " + script + ".";
        AnthropicClient client =
                AnthropicOkHttpClient.builder()
                        .baseUrl(stack.relayUrl())
                        .apiKey(key)
                        .putHeader(Script.HEADER, script)
                        .maxRetries(0)
                        .timeout(Duration.ofSeconds(30))
                        .build();
        MessageCreateParams params =
                MessageCreateParams.builder()
                        .model("claude-sonnet-4-5")
                        .maxTokens(1024)
                        .addUserMessage(prompt)
                        .build();
        try {
            if (streaming) {
                try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> events =
                        client.messages().createStreaming(params)) {
                    events.stream().forEach(event -> {});
                }
            } else {
                client.messages().create(params);
            }
        } finally {
            client.close();
        }
        ObjectNode body =
                JSON.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 1024);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("stream", streaming);
        SimUsage usage =
                ExpectedUsage.reported(Api.MESSAGES, body, Script.parse(script)).orElseThrow();
        long cache = usage.cachedTokens() + usage.cacheCreationTokens();
        anthropicCacheTokens += cache;
        long[] sums = expectedTokens.computeIfAbsent(keyId(key), k -> new long[2]);
        sums[0] += usage.promptTokens() + cache; // prompt = input + cache read + cache write
        sums[1] += usage.completionTokens();
    }

    private long anthropicCacheTokens;

    private void nonStreaming(String key, String script) throws Exception {
        String prompt = "One answer, whole.";
        OpenAIClient client = client(key, script);
        try {
            client.chat().completions().create(params(prompt).build());
        } finally {
            client.close();
        }
        expect(key, script, prompt, false, null);
    }

    private void expect(
            String key, String script, String prompt, boolean streaming, String streamId) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        if (streaming) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true); // the relay forces it
        }
        SimUsage usage =
                ExpectedUsage.reported(Api.CHAT_COMPLETIONS, body, Script.parse(script))
                        .orElse(new SimUsage(0, 0, 0, 0, 0, 0));
        long[] sums = expectedTokens.computeIfAbsent(keyId(key), k -> new long[2]);
        sums[0] += usage.promptTokens();
        sums[1] += usage.completionTokens();
        if (usage.totalTokens() == 0) {
            streamsWithoutUsage.add(streamId);
        }
    }

    private OpenAIClient client(String key, String script) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(stack.relayUrl() + "/v1")
                .apiKey(key)
                .putHeader(Script.HEADER, script)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static ChatCompletionCreateParams.Builder params(String prompt) {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(prompt);
    }

    private static String keyId(String key) {
        return KeyIds.derive(Pepper.load(dataDir), key);
    }

    // --- what the billing side sees

    private static JsonNode queryTotal(String keyId) throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String dayAfter = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        stack.apiUrl()
                                                                + "/v1/spend?key_id="
                                                                + keyId
                                                                + "&from="
                                                                + yesterday
                                                                + "&to="
                                                                + dayAfter
                                                                + "&granularity=day"))
                                        .header("Authorization", "Bearer " + stack.adminToken())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), today + " " + response.body());
        return JSON.readTree(response.body()).path("total");
    }

    /** Runs {@code streammeter export} over yesterday to tomorrow into a file; returns it. */
    private static Path export(String what, String format, String keyId) {
        Path file = dataDir.resolve(what + "-" + EXPORTS.incrementAndGet() + "." + format);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "export",
                                what,
                                "--from",
                                LocalDate.now(ZoneOffset.UTC).minusDays(1).toString(),
                                "--to",
                                LocalDate.now(ZoneOffset.UTC).plusDays(2).toString(),
                                "--format",
                                format,
                                "--out",
                                file.toString(),
                                "--bootstrap",
                                bootstrap,
                                "--topic-prefix",
                                prefix));
        if (keyId != null) {
            args.addAll(List.of("--key-id", keyId));
        }
        var run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        return file;
    }

    /** Per key id: prompt and completion tokens, micro-USD, requests, from a CSV export. */
    private static Map<String, long[]> exportTotals() throws Exception {
        Path file = export("spend", "csv", null);
        Map<String, long[]> totals = new HashMap<>();
        try (MappingIterator<Map<String, String>> rows =
                new CsvMapper()
                        .readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(Files.readString(file))) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                long[] sums = totals.computeIfAbsent(row.get("key_id"), k -> new long[4]);
                sums[0] += Long.parseLong(row.get("prompt_tokens"));
                sums[1] += Long.parseLong(row.get("completion_tokens"));
                sums[2] += Long.parseLong(row.get("cost_micros"));
                sums[3] += Long.parseLong(row.get("requests"));
            }
        }
        return totals;
    }

    /** The key's line items as JSON Lines, for failure messages. */
    private static String lineItems(String keyId) throws Exception {
        return Files.readString(export("summaries", "jsonl", keyId));
    }

    private static List<MissingUsageAlert> alerts() {
        var topic = new io.streammeter.schemas.TopicCatalog(prefix).missingUsageAlerts();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<MissingUsageAlert> alerts = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        props,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("alerts read to the end")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(r -> alerts.add(r.value()));
                                return end.entrySet().stream()
                                        .allMatch(
                                                e -> consumer.position(e.getKey()) >= e.getValue());
                            });
        }
        return alerts;
    }
}
