package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammeter.avro.BudgetAlert;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Metering;
import io.streammeter.metering.budget.WorstCase;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceFile;
import io.streammeter.relay.Relay;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import io.streammeter.simulator.Simulator;
import io.streammeter.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets under concurrency, on the real broker: three relays in {@code auth.mode=platform}, one
 * metering instance, the simulator. Waves of 60 concurrent streams go to one key whose budget
 * affords about 10 worst cases, spread over the relays, each wave settled (nothing held) before the
 * next, until a wave is wholly refused. The guarantee: billed spend never exceeds the budget (the
 * issue allows one request's worst case more; holding every admitted stream's worst case needs none
 * of it), every request was served or refused with 429 {@code budget_exceeded}, and the last
 * refusal came when, with every reservation settled, the remaining budget was below one request's
 * worst case: nothing was refused while the budget still had room for it. The same load with holds
 * off ({@code budget.hold-in-flight=false}, proving only) overspends several-fold, so the test
 * fails without reservations.
 */
@ExtendWith(KafkaExtension.class)
class BudgetConcurrencyIT {
    private static final String PEPPER = "budget-concurrency-pepper-0123456789";
    private static final String ADMIN_TOKEN = "admin-token-of-the-budget-concurrency-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String MODEL = "gpt-4o";
    private static final long MAX_TOKENS = 200;
    // 40 chunks of 20 characters: the simulator reports 200 output tokens, the request's maximum.
    private static final String SCRIPT = "chunks=40;chunk-chars=20";
    private static final String BODY =
            "{\"model\":\""
                    + MODEL
                    + "\",\"stream\":true,\"max_tokens\":"
                    + MAX_TOKENS
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final int RELAYS = 3;
    private static final int CONCURRENT = 60;
    private static final int AFFORDS = 10;

    private final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldNeverBillMoreThanTheBudgetNorRefuseWhileItHadRoom(TestKafka kafka, @TempDir Path dir)
            throws Exception {
        Pipeline p = start(kafka, dir, true);
        long worst = worstMicros();
        long budget = AFFORDS * worst;
        Key key = p.createKey(budget);

        int served = 0;
        int refused = 0;
        int waves = 0;
        int servedInWave;
        do {
            Wave wave = p.wave(key);
            waves++;
            servedInWave = wave.served();
            served += wave.served();
            refused += wave.refused();
            assertEquals(CONCURRENT, wave.served() + wave.refused(), wave.toString());
            assertTrue(waves <= 12, "the budget should be spent within 12 waves: " + wave);
        } while (servedInWave > 0);

        JsonNode standing = p.settled(key);
        long billed = micros(standing.path("billed_usd"));
        long remaining = micros(standing.path("remaining_usd"));
        System.out.printf(
                "BudgetConcurrencyIT: budget %d µUSD, worst case %d µUSD, %d waves of %d: %d"
                        + " served, %d refused, billed %d µUSD, remaining %d µUSD%n",
                budget, worst, waves, CONCURRENT, served, refused, billed, remaining);
        assertTrue(billed <= budget, "billed " + billed + " > budget " + budget);
        assertTrue(served >= AFFORDS, "the budget affords " + AFFORDS + " worst cases: " + served);
        assertTrue(
                remaining < worst,
                "the last wave was refused although, settled, "
                        + remaining
                        + " µUSD remained for a worst case of "
                        + worst);
        assertEquals(billed, p.lineItemSum(key), "the ledger's billed spend is the line items'");
        // 98.9 % of the budget billed: the 50 and 80 % thresholds were crossed, once each.
        assertEquals(List.of(50, 80), p.alertPercents(key), "alerts on alerts.budget");
    }

    @Test
    void shouldOverspendWithoutHoldingInFlightWorstCases(TestKafka kafka, @TempDir Path dir)
            throws Exception {
        Pipeline p = start(kafka, dir, false);
        long worst = worstMicros();
        long budget = AFFORDS * worst;
        Key key = p.createKey(budget);

        Wave wave = p.wave(key);
        // Nothing is held without holds: wait for the line items of the served streams instead.
        long[] billed = new long[1];
        await("the served streams' line items overspend the budget")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            billed[0] = micros(p.settled(key).path("billed_usd"));
                            return billed[0] > budget + worst;
                        });
        System.out.printf(
                "BudgetConcurrencyIT without holds: budget %d µUSD, one wave of %d: %d served,"
                        + " billed %d µUSD%n",
                budget, CONCURRENT, wave.served(), billed[0]);
        assertEquals(CONCURRENT, wave.served(), "billed spend alone admits the whole wave");
    }

    /** The worst case metering reserves for {@link #BODY}: its bytes + max_tokens, at the price. */
    private static long worstMicros() {
        PriceEntry price = PriceFile.bundled().find(MODEL, Instant.now()).orElseThrow();
        return WorstCase.micros(
                WorstCase.tokens(
                        BODY.getBytes(StandardCharsets.UTF_8).length, MAX_TOKENS, 1, 32768),
                price);
    }

    private Pipeline start(TestKafka kafka, Path dir, boolean holdInFlight) throws Exception {
        TopicCatalog topics = kafka.newCatalog("budget-concurrency");
        Path token = dir.resolve("admin-token");
        Files.writeString(token, ADMIN_TOKEN);
        MeteringConfig meteringConfig =
                MeteringConfig.defaults()
                        .with("bootstrap-servers", kafka.bootstrapServers())
                        .with("topic-prefix", topics.prefix())
                        .with("application-id", "budget-concurrency-" + System.nanoTime())
                        .with("state-dir", dir.resolve("metering").toString())
                        .with("query-port", "0")
                        .with("auth.admin-token-file", token.toString())
                        .with("auth.key-id-pepper", PEPPER)
                        .with("budget.enabled", "true")
                        .with("budget.hold-in-flight", Boolean.toString(holdInFlight));
        Metering metering = Metering.start(meteringConfig);
        open.add(metering);
        assertTrue(metering.awaitRunning(Duration.ofSeconds(60)), "metering is running");
        Simulator simulator =
                Simulator.start(vertx, SimulatorConfig.defaults().withPort(0))
                        .await(30, TimeUnit.SECONDS);
        String api = "http://127.0.0.1:" + metering.queryPort();
        List<String> relays = new ArrayList<>();
        for (int i = 0; i < RELAYS; i++) {
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
            settings.put("spool.dir", dir.resolve("spool-" + i).toString());
            settings.put("metrics.auth", "none");
            settings.put("relay.instance-id", "budget-relay-" + i);
            settings.put("budget.url", api);
            settings.put("budget.token-file", token.toString());
            Relay relay = Relay.start(vertx, RelayConfig.of(settings)).await(60, TimeUnit.SECONDS);
            open.add(() -> relay.shutdown().await(30, TimeUnit.SECONDS));
            relays.add("http://127.0.0.1:" + relay.port() + "/v1/chat/completions");
        }
        return new Pipeline(api, relays, kafka.bootstrapServers(), topics);
    }

    private record Key(String raw, String keyId) {}

    private record Wave(int served, int refused, List<String> other) {
        Wave {
            if (!other.isEmpty()) {
                throw new AssertionError(
                        "answers other than 200 and 429 budget_exceeded: " + other);
            }
        }
    }

    private record Pipeline(
            String api, List<String> relays, String bootstrapServers, TopicCatalog topics) {

        /**
         * The first thresholds announced for the key on alerts.budget, in order: at least two (a
         * third, or a repeat, fails the caller's comparison).
         */
        List<Integer> alertPercents(Key key) {
            Topic<String, BudgetAlert> topic = topics.budgetAlerts();
            List<Integer> percents = new ArrayList<>();
            try (KafkaConsumer<String, BudgetAlert> consumer =
                    new KafkaConsumer<>(
                            Map.<String, Object>of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrapServers,
                                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                    "read_committed"),
                            topic.keySerde().deserializer(),
                            topic.valueSerde().deserializer())) {
                List<TopicPartition> partitions =
                        consumer.partitionsFor(topic.name()).stream()
                                .map(i -> new TopicPartition(i.topic(), i.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                await("two alerts of the key on alerts.budget (published as line items settle)")
                        .atMost(Duration.ofSeconds(30))
                        .until(
                                () -> {
                                    for (ConsumerRecord<String, BudgetAlert> r :
                                            consumer.poll(Duration.ofMillis(100))) {
                                        if (r.value().getScope().equals("key")
                                                && r.value().getId().equals(key.keyId())) {
                                            percents.add(r.value().getPercent());
                                        }
                                    }
                                    return percents.size() >= 2;
                                });
            }
            return percents;
        }

        Key createKey(long budgetMicros) throws Exception {
            String budget = BigDecimal.valueOf(budgetMicros, 6).toPlainString();
            HttpResponse<String> created =
                    HTTP.send(
                            admin(api + "/v1/admin/keys")
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"customer\":\"acme\",\"budget_usd\":\""
                                                            + budget
                                                            + "\",\"budget_period\":\"lifetime\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            JsonNode key = JSON.readTree(created.body());
            Key k = new Key(key.path("key").asText(), key.path("key_id").asText());
            await("metering's budgets know the key")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> budget(k).statusCode() == 200);
            await("every relay serves the key")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> relays.stream().allMatch(r -> knows(r, k)));
            return k;
        }

        /** Whether the relay authenticates the key (a refusal for budget is fine: it knows it). */
        private static boolean knows(String relay, Key key) {
            try {
                HttpResponse<String> r =
                        HTTP.send(
                                chat(relay, key, "{"), // refused as invalid: nothing reserved
                                HttpResponse.BodyHandlers.ofString());
                return r.statusCode() != 401;
            } catch (Exception e) {
                return false;
            }
        }

        /** 60 concurrent streams over the relays; every one answered. */
        Wave wave(Key key) throws Exception {
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                pending.add(
                        HTTP.sendAsync(
                                chat(relays.get(i % relays.size()), key, BODY),
                                HttpResponse.BodyHandlers.ofString()));
            }
            int served = 0;
            int refused = 0;
            List<String> other = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : pending) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 200 && r.body().contains("[DONE]")) {
                    served++;
                } else if (r.statusCode() == 429
                        && r.body().contains("\"code\":\"budget_exceeded\"")
                        && r.headers().firstValue("Retry-After").isEmpty()) {
                    refused++; // a lifetime budget: no Retry-After, waiting does not help
                } else {
                    other.add(r.statusCode() + " " + r.body());
                }
            }
            Wave wave = new Wave(served, refused, other);
            settled(key);
            return wave;
        }

        /** The key's budget once nothing is held: every admitted stream's line item arrived. */
        JsonNode settled(Key key) {
            JsonNode[] standing = new JsonNode[1];
            await("every reservation of the key is settled by its line item")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                HttpResponse<String> r = budget(key);
                                if (r.statusCode() != 200) {
                                    return false;
                                }
                                standing[0] = JSON.readTree(r.body()).path("key_budget");
                                return micros(standing[0].path("held_usd")) == 0;
                            });
            return standing[0];
        }

        /** The key's line items as the query API lists them, summed. */
        long lineItemSum(Key key) throws Exception {
            HttpResponse<String> r =
                    HTTP.send(
                            admin(api + "/v1/keys/" + key.keyId() + "/line-items?limit=1000")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            long sum = 0;
            for (JsonNode item : JSON.readTree(r.body()).path("line_items")) {
                sum += item.path("cost_micros").asLong();
            }
            return sum;
        }

        HttpResponse<String> budget(Key key) throws Exception {
            return HTTP.send(
                    admin(api + "/v1/budget?key_id=" + key.keyId()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private static HttpRequest.Builder admin(String url) {
            return HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN);
        }

        private static HttpRequest chat(String relay, Key key, String body) {
            return HttpRequest.newBuilder(URI.create(relay))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key.raw())
                    .header("Content-Type", "application/json")
                    .header("X-Sim-Script", SCRIPT)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }
    }

    static long micros(JsonNode usd) {
        return usd.isMissingNode() || usd.isNull()
                ? 0
                : new BigDecimal(usd.asText()).movePointRight(6).longValueExact();
    }
}
