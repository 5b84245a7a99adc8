package io.streammeter.local;

import io.streammeter.kafka.EmbeddedKafka;
import io.streammeter.kafka.KafkaBroker;
import io.streammeter.kafka.LocalKafka;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.relay.Relay;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.schemas.Replication;
import io.streammeter.schemas.TopicCatalog;
import io.streammeter.simulator.Simulator;
import io.streammeter.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole of streammeter in one process: a Kafka broker keeping its data in a directory, the
 * topics, metering with its query API, the simulated upstream unless a real one is given, and the
 * relay. Stops in the reverse order: the relay ends its streams and flushes its producer before
 * metering and the broker go.
 */
final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOOPBACK = "127.0.0.1";

    /**
     * @param upstream base URL of an OpenAI-compatible API ({@code …/v1}); null starts the
     *     simulator
     * @param anthropicUpstream base URL of an Anthropic-compatible API; null means the simulator
     *     when {@code upstream} is null too, else Anthropic's own
     * @param bootstrap an existing cluster; null starts the local broker
     * @param meteringThreads Kafka Streams threads of metering (its tasks spread over them as over
     *     several instances)
     * @param brokers brokers to start when {@code bootstrap} is null: 1 is the local broker that
     *     keeps its data in {@code dataDir}; more is an in-process cluster on ephemeral ports whose
     *     data lives only as long as the process, with topics replicated as {@link
     *     Replication#forBrokers} says (RF 3, min ISR 2 from three brokers on)
     */
    record Options(
            Path dataDir,
            String bootstrap,
            int kafkaPort,
            int relayPort,
            int apiPort,
            int simulatorPort,
            URI upstream,
            URI anthropicUpstream,
            String upstreamApiKey,
            String topicPrefix,
            Path priceFile,
            int meteringThreads,
            int brokers,
            Integer platformPort) {
        Options {
            if (brokers < 1) {
                throw new IllegalArgumentException("--brokers must be at least 1: " + brokers);
            }
        }

        /** One broker and no platform relay: what most tests start. */
        Options(
                Path dataDir,
                String bootstrap,
                int kafkaPort,
                int relayPort,
                int apiPort,
                int simulatorPort,
                URI upstream,
                URI anthropicUpstream,
                String upstreamApiKey,
                String topicPrefix,
                Path priceFile,
                int meteringThreads) {
            this(
                    dataDir,
                    bootstrap,
                    kafkaPort,
                    relayPort,
                    apiPort,
                    simulatorPort,
                    upstream,
                    anthropicUpstream,
                    upstreamApiKey,
                    topicPrefix,
                    priceFile,
                    meteringThreads,
                    1,
                    null);
        }

        boolean startsCluster() {
            return bootstrap == null && brokers > 1;
        }
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private String bootstrapServers;
    private String relayUrl;
    private String platformRelayUrl;
    private String apiUrl;
    private String adminToken;
    private String upstreamUrl;
    private String anthropicUrl;
    private Simulator simulator;

    static LocalStack start(Options options) throws Exception {
        LocalStack stack = new LocalStack();
        try {
            stack.startAll(options);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Options options) throws Exception {
        if (options.bootstrap() == null && !options.startsCluster()) {
            FreePorts.require(LOOPBACK, options.kafkaPort(), "--kafka-port");
            FreePorts.require(LOOPBACK, options.kafkaPort() + 1, "--kafka-port (controller: +1)");
        }
        FreePorts.require(LOOPBACK, options.apiPort(), "--api-port");
        FreePorts.require(LOOPBACK, options.relayPort(), "--relay-port");
        if (options.platformPort() != null) {
            FreePorts.require(LOOPBACK, options.platformPort(), "--platform-port");
        }
        if (options.upstream() == null) {
            FreePorts.require(LOOPBACK, options.simulatorPort(), "--simulator-port");
        }
        KafkaBroker kafka;
        TopicCatalog catalog;
        // A cluster's data is gone when the process ends: metering's state and the relay's spool
        // must not outlive it either, or they would replay into a different cluster.
        Path runDir = options.dataDir();
        if (options.bootstrap() != null) {
            kafka = KafkaBroker.external(options.bootstrap());
            catalog = new TopicCatalog(options.topicPrefix());
        } else if (options.startsCluster()) {
            kafka = EmbeddedKafka.start(options.brokers());
            catalog =
                    new TopicCatalog(
                            options.topicPrefix(),
                            TopicCatalog.DEFAULT_PARTITIONS,
                            Replication.forBrokers(options.brokers()));
            runDir = fresh(options.dataDir().resolve("cluster-run"));
        } else {
            kafka = LocalKafka.start(options.dataDir(), options.kafkaPort());
            catalog = new TopicCatalog(options.topicPrefix());
        }
        started.push(kafka);
        bootstrapServers = kafka.bootstrapServers();
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicProvisioner(admin, READY_TIMEOUT).provision(catalog);
        }

        MeteringConfig metering =
                MeteringConfig.defaults()
                        .with("bootstrap-servers", bootstrapServers)
                        .with("topic-prefix", options.topicPrefix())
                        .with("application-id", applicationId(options.topicPrefix()))
                        .with("state-dir", runDir.resolve("metering").toString())
                        .with("query-host", "127.0.0.1")
                        .with("query-port", Integer.toString(options.apiPort()))
                        .with(
                                "auth.admin-token-file",
                                AdminTokenFile.ensure(options.dataDir()).toString())
                        .with(
                                "price-file",
                                options.priceFile() == null ? "" : options.priceFile().toString())
                        // Platform keys read their own spend and budget; the platform relay
                        // reserves budget here.
                        .with("auth.key-id-pepper", Pepper.load(options.dataDir()))
                        .with("budget.enabled", "true")
                        .withKafka(
                                Map.of(
                                        "commit.interval.ms",
                                        "1000",
                                        "num.stream.threads",
                                        Integer.toString(options.meteringThreads())));
        Metering meter = Metering.start(metering);
        started.push(meter);
        apiUrl = "http://127.0.0.1:" + meter.queryPort();
        adminToken = AdminTokenFile.read(options.dataDir());

        Vertx vertx = Vertx.vertx();
        started.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
        URI upstream = options.upstream();
        URI anthropic =
                options.anthropicUpstream() != null
                        ? options.anthropicUpstream()
                        : RelayConfig.DEFAULT_ANTHROPIC_BASE_URL;
        if (upstream == null) {
            simulator =
                    Simulator.start(
                                    vertx,
                                    SimulatorConfig.defaults().withPort(options.simulatorPort()))
                            .await(30, TimeUnit.SECONDS);
            started.push(simulator);
            upstream = URI.create(simulator.baseUrl() + "/v1");
            if (options.anthropicUpstream() == null) {
                anthropic = upstream;
            }
        }
        upstreamUrl = upstream.toString();
        anthropicUrl = anthropic.toString();

        Map<String, String> relaySettings = new HashMap<>();
        relaySettings.put("listen.host", "127.0.0.1");
        relaySettings.put("listen.port", Integer.toString(options.relayPort()));
        relaySettings.put("upstream.name", options.upstream() == null ? "simulator" : "upstream");
        relaySettings.put("upstream.base-url", upstream.toString());
        if (options.upstreamApiKey() != null) {
            relaySettings.put("upstream.api-key", options.upstreamApiKey());
            // The demo's relay authenticates no caller; it binds loopback only, so just the
            // person running the demo can spend the key they passed in.
            relaySettings.put("auth.allow-open-proxy", "true");
        }
        relaySettings.put(
                "anthropic.name", anthropic.equals(upstream) ? "simulator-anthropic" : "anthropic");
        relaySettings.put("anthropic.base-url", anthropic.toString());
        relaySettings.put("key-id.pepper", Pepper.load(options.dataDir()));
        relaySettings.put("spool.dir", runDir.resolve("relay-spool").toString());
        relaySettings.put("kafka.bootstrap-servers", bootstrapServers);
        relaySettings.put("kafka.topic-prefix", options.topicPrefix());
        // The relay's /metrics asks for the same token as metering's query API.
        relaySettings.put("metrics.auth", "token");
        relaySettings.put(
                "metrics.token-file", AdminTokenFile.ensure(options.dataDir()).toString());
        if (options.priceFile() != null) {
            // One table for the cost header and the line items, so they agree.
            relaySettings.put("price-file", options.priceFile().toString());
        }
        RelayConfig relayConfig = RelayConfig.of(relaySettings);
        Relay relay = Relay.start(vertx, relayConfig).await(30, TimeUnit.SECONDS);
        started.push(() -> relay.shutdown().await(60, TimeUnit.SECONDS));
        relayUrl = "http://127.0.0.1:" + relay.port();
        platformRelayUrl = startPlatformRelay(vertx, options, relaySettings, runDir);

        if (!meter.awaitRunning(READY_TIMEOUT)) {
            throw new IllegalStateException(
                    "Metering did not reach RUNNING within " + READY_TIMEOUT);
        }
        Properties record = new Properties();
        record.setProperty(DataDir.BOOTSTRAP, bootstrapServers);
        record.setProperty(DataDir.TOPIC_PREFIX, options.topicPrefix());
        record.setProperty("relay.url", relayUrl);
        record.setProperty("query.url", apiUrl);
        DataDir.recordStack(options.dataDir(), record);
    }

    /**
     * A second relay in {@code auth.mode=platform}: it serves platform keys only ({@code
     * streammeter keys create}), sends the upstream credential itself and reserves each request's
     * worst case at metering; null when there is no port for it, or a real upstream without a key
     * to send.
     */
    private String startPlatformRelay(
            Vertx vertx, Options options, Map<String, String> relaySettings, Path runDir)
            throws Exception {
        if (options.platformPort() == null) {
            return null;
        }
        Map<String, String> settings = new HashMap<>(relaySettings);
        if (options.upstream() == null) {
            settings.put("upstream.api-key", "sk-simulator-stand-in"); // the simulator checks none
        } else if (options.upstreamApiKey() == null) {
            return null; // platform mode sends the operator's key; there is none to send
        }
        settings.remove("auth.allow-open-proxy");
        settings.put("listen.port", Integer.toString(options.platformPort()));
        settings.put("auth.mode", "platform");
        settings.put("relay.instance-id", "local-platform");
        settings.put("spool.dir", runDir.resolve("platform-relay-spool").toString());
        settings.put("budget.url", apiUrl);
        settings.put("budget.token-file", AdminTokenFile.ensure(options.dataDir()).toString());
        Relay relay = Relay.start(vertx, RelayConfig.of(settings)).await(30, TimeUnit.SECONDS);
        started.push(() -> relay.shutdown().await(60, TimeUnit.SECONDS));
        return "http://127.0.0.1:" + relay.port();
    }

    /** An empty directory at {@code dir}: what an earlier run left there is deleted. */
    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /**
     * Metering's application id: the default for the default prefix, else one per prefix. Stacks
     * with other prefixes on one cluster (the tests' per-class catalogs) must not share a consumer
     * group, changelogs and repartition topics, or one restores and reads the other's state.
     */
    static String applicationId(String topicPrefix) {
        String fallback = MeteringConfig.defaults().applicationId();
        return topicPrefix == null || topicPrefix.equals(TopicCatalog.DEFAULT_PREFIX)
                ? fallback
                : topicPrefix + fallback;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String relayUrl() {
        return relayUrl;
    }

    String apiUrl() {
        return apiUrl;
    }

    /** The relay of platform keys, with budgets; null when none was started. */
    String platformRelayUrl() {
        return platformRelayUrl;
    }

    /** The query API's admin token (every route but the probes needs it). */
    String adminToken() {
        return adminToken;
    }

    String upstreamUrl() {
        return upstreamUrl;
    }

    String anthropicUrl() {
        return anthropicUrl;
    }

    /** The simulated upstream, or null when a real one was given. */
    Simulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", next, e);
            }
        }
    }
}
