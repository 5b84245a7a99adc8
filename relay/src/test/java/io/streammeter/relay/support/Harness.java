package io.streammeter.relay.support;

import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.Relay;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.openai.OpenAiChatCompletions;
import io.streammeter.schemas.TopicCatalog;
import io.streammeter.simulator.Api;
import io.streammeter.simulator.ExpectedUsage;
import io.streammeter.simulator.Script;
import io.streammeter.simulator.SimUsage;
import io.streammeter.simulator.Simulator;
import io.streammeter.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an integration test runs against: a Vert.x instance, the real simulator over HTTP, a topic
 * catalog of its own on the real broker, a relay between them, and the events it published.
 */
public final class Harness implements AutoCloseable {
    public static final String PEPPER = "test-pepper-0123456789abcdef";
    public static final String KEY = "sk-test-raw-key-do-not-leak-5f3a9c";
    public static final String CHAT = "/v1/chat/completions";
    public static final String MESSAGES = "/v1/messages";
    public static final String RESPONSES = "/v1/responses";
    public static final String ANTHROPIC_UPSTREAM = "simulator-anthropic";
    public static final String ANTHROPIC_VERSION = "2023-06-01";

    private final Vertx vertx;
    private final Simulator simulator;
    private final TestKafka kafka;
    private final TopicCatalog catalog;
    private final EventLog events;
    private final List<Path> spoolDirs = new CopyOnWriteArrayList<>();
    private Relay relay;

    private Harness(Vertx vertx, Simulator simulator, TestKafka kafka, TopicCatalog catalog) {
        this.vertx = vertx;
        this.simulator = simulator;
        this.kafka = kafka;
        this.catalog = catalog;
        this.events = new EventLog(kafka, catalog);
    }

    /** Starts everything with the relay's test configuration ({@link #config()}). */
    public static Harness start(TestKafka kafka, String name) {
        return start(kafka, name, Map.of());
    }

    /** Starts everything; {@code overrides} (keys as in the relay's file) adjust the relay. */
    public static Harness start(TestKafka kafka, String name, Map<String, String> overrides) {
        Vertx vertx = Vertx.vertx();
        Simulator simulator = await(Simulator.start(vertx, SimulatorConfig.ephemeral()));
        Harness harness = new Harness(vertx, simulator, kafka, kafka.newCatalog(name));
        harness.relay = harness.startRelay(overrides);
        return harness;
    }

    /** The relay settings tests start from: loopback, ephemeral port, this harness's topics. */
    public Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("spool.dir", newSpoolDir().toString());
        c.put("listen.host", "127.0.0.1");
        c.put("listen.port", "0");
        c.put("listen.instances", "2");
        c.put("upstream.name", "simulator");
        c.put("upstream.base-url", simulator.baseUrl() + "/v1");
        c.put("anthropic.name", ANTHROPIC_UPSTREAM);
        c.put("anthropic.base-url", simulator.baseUrl() + "/v1");
        c.put("key-id.pepper", PEPPER);
        c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        c.put("kafka.topic-prefix", catalog.prefix());
        c.put("shutdown.grace", "2s");
        c.put("disconnect.drain-timeout", "10s");
        c.put("relay.instance-id", "relay-it");
        c.put("metrics.auth", "none"); // tests scrape /metrics; MetricsAuthIT covers the token
        return c;
    }

    /**
     * Starts one more relay on this harness's topics with {@code overrides} (the test stops it).
     */
    public Relay startRelay(Map<String, String> overrides) {
        Map<String, String> settings = config();
        settings.putAll(overrides);
        return await(Relay.start(vertx, RelayConfig.of(settings)));
    }

    /** A fresh spool directory, deleted when the harness closes. */
    public Path newSpoolDir() {
        try {
            Path dir = Files.createTempDirectory("relay-spool-");
            spoolDirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public Relay relay() {
        return relay;
    }

    public Simulator simulator() {
        return simulator;
    }

    /** The events of one stream once its end is published; the id comes from X-Stream-Id. */
    public RecordedStream recorded(String streamId) {
        java.util.Objects.requireNonNull(streamId, "the response carried no X-Stream-Id");
        return RecordedStream.of(streamId, events().awaitEnded(streamId));
    }

    public EventLog events() {
        return events;
    }

    public TopicCatalog catalog() {
        return catalog;
    }

    public String url(String path) {
        return url(relay, path);
    }

    public static String url(Relay relay, String path) {
        return "http://127.0.0.1:" + relay.port() + path;
    }

    /** POSTs to the relay's chat route with the test key and a script. */
    public Http.Response chat(String body, String script, String... headers) {
        return Http.post(url(CHAT), body, withAuth(script, headers));
    }

    /** POSTs to any OpenAI-shaped route of the relay with the test key and a script. */
    public Http.Response post(String path, String body, String script, String... headers) {
        return Http.post(url(path), body, withAuth(script, headers));
    }

    /** What the simulator answers on {@code path} to a body the relay forwards untouched. */
    public Http.Response directUntouched(String path, String body, String script) {
        return Http.post(simulator.baseUrl() + path, body, withAuth(script));
    }

    /** The usage the simulator reports for a body of {@code api} forwarded untouched. */
    public static SimUsage reportedUntouched(Api api, String body, String script) {
        return ExpectedUsage.reported(api, body, Script.parse(script))
                .orElseThrow(
                        () -> new AssertionError("the simulator reports no usage for " + script));
    }

    /** POSTs to the relay's messages route with the test key (x-api-key) and a script. */
    public Http.Response messages(String body, String script, String... headers) {
        return Http.post(url(MESSAGES), body, anthropicHeaders(script, headers));
    }

    /** What the simulator itself answers to an Anthropic request (the relay forwards it as is). */
    public Http.Response directMessages(String body, String script) {
        return Http.post(simulator.baseUrl() + MESSAGES, body, anthropicHeaders(script));
    }

    /** The usage the simulator reports for an Anthropic request. */
    public static SimUsage reportedMessages(String body, String script) {
        return ExpectedUsage.reported(Api.MESSAGES, body, Script.parse(script))
                .orElseThrow(
                        () -> new AssertionError("the simulator reports no usage for " + script));
    }

    /** The headers of an Anthropic client: key, version, script, then {@code headers}. */
    public static String[] anthropicHeaders(String script, String... headers) {
        String[] all = new String[headers.length + 6];
        all[0] = "x-api-key";
        all[1] = KEY;
        all[2] = "anthropic-version";
        all[3] = ANTHROPIC_VERSION;
        all[4] = Script.HEADER;
        all[5] = script;
        System.arraycopy(headers, 0, all, 6, headers.length);
        return all;
    }

    static String[] withAuth(String script, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = "Bearer " + KEY;
        all[2] = Script.HEADER;
        all[3] = script;
        System.arraycopy(headers, 0, all, 4, headers.length);
        return all;
    }

    /** The body the relay sends upstream for a client body (the relay's own, pure rewrite). */
    public static String upstreamBody(String clientBody) {
        try {
            RequestFacts facts =
                    new OpenAiChatCompletions()
                            .readRequest(clientBody.getBytes(StandardCharsets.UTF_8));
            return facts.upstreamBody().toString(StandardCharsets.UTF_8);
        } catch (InvalidRequestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** What the simulator itself answers to what the relay sends for {@code clientBody}. */
    public Http.Response direct(String clientBody, String script) {
        return Http.post(
                simulator.baseUrl() + CHAT,
                upstreamBody(clientBody),
                "Authorization",
                "Bearer " + KEY,
                Script.HEADER,
                script);
    }

    /** The usage the simulator reports for what the relay sends upstream. */
    public static SimUsage reported(String clientBody, String script) {
        return ExpectedUsage.reported(
                        Api.CHAT_COMPLETIONS, upstreamBody(clientBody), Script.parse(script))
                .orElseThrow(
                        () -> new AssertionError("the simulator reports no usage for " + script));
    }

    /** A relay meter's value from {@code GET /metrics}, such as {@code relay_chunks_total}. */
    public double metric(String series) {
        return metric(relay, series);
    }

    public static double metric(Relay relay, String series) {
        String text = Http.get(url(relay, "/metrics")).text();
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    public static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out", e);
        }
    }

    @Override
    public void close() {
        try {
            await(relay.shutdown());
        } finally {
            events.close();
            simulator.close();
            await(vertx.close());
            spoolDirs.forEach(Harness::deleteTree);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
