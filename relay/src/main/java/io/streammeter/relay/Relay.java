package io.streammeter.relay;

import io.streammeter.avro.StreamEvent;
import io.streammeter.config.KafkaAccessCheck;
import io.streammeter.config.TokenFile;
import io.streammeter.prices.PriceBook;
import io.streammeter.prices.PriceFile;
import io.streammeter.relay.config.AuthMode;
import io.streammeter.relay.config.MetricsAuth;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.keys.Admission;
import io.streammeter.relay.keys.Credentials;
import io.streammeter.relay.keys.KeyRegistry;
import io.streammeter.relay.keys.RateLimits;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.publish.KafkaReadiness;
import io.streammeter.relay.publish.KafkaSettings;
import io.streammeter.relay.upstream.UpstreamHealth;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: {@link #start} it on a Vert.x instance, {@link #shutdown} it when done. This is
 * what {@link RelayMain}, the local launcher and the end-to-end tests use.
 *
 * <p>Shutdown stops accepting connections, lets streams in flight finish within the configured
 * grace period, ends the rest as {@code RELAY_SHUTDOWN} (the client gets an error event), and then
 * flushes and closes the Kafka producer; events Kafka has not acknowledged stay in the spool.
 */
public final class Relay {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final Duration READINESS_MAX_AGE = Duration.ofSeconds(5);
    private static final Duration PUBLISHER_CLOSE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final int EPHEMERAL_KEY_BASE = 30_000;
    private static final AtomicInteger EPHEMERAL_KEYS = new AtomicInteger();

    private final Vertx vertx;
    private final RelayConfig config;
    private final Shared shared;
    private final String deployment;
    private final List<RelayVerticle> verticles;
    private final int port;
    private Future<Void> shutdown;
    private long priceReloadTimer = -1;

    private Relay(
            Vertx vertx,
            RelayConfig config,
            Shared shared,
            String deployment,
            List<RelayVerticle> verticles) {
        this.vertx = vertx;
        this.config = config;
        this.shared = shared;
        this.deployment = deployment;
        this.verticles = List.copyOf(verticles);
        this.port = verticles.stream().mapToInt(RelayVerticle::actualPort).max().orElse(-1);
        if (config.priceFile() != null && !config.priceReloadInterval().isZero()) {
            priceReloadTimer =
                    vertx.setPeriodic(
                            config.priceReloadInterval().toMillis(),
                            id -> vertx.executeBlocking(shared.prices()::reloadIfChanged, false));
        }
    }

    /**
     * Starts a relay: creates the Kafka producer, then binds the HTTP server on {@code
     * config.instances()} event loops.
     *
     * @return the running relay, or a failure when the port cannot be bound or the Kafka settings
     *     are invalid (an unreachable cluster is no failure: events wait, and readiness says so)
     */
    public static Future<Relay> start(Vertx vertx, RelayConfig config) {
        return vertx.executeBlocking(() -> Shared.create(config))
                .compose(
                        shared ->
                                deploy(vertx, config, shared)
                                        .onFailure(e -> vertx.executeBlocking(shared::close)))
                .recover(e -> Future.failedFuture(bindFailure(config, e)));
    }

    /** A port that cannot be bound is named, with the setting that chooses it. */
    private static Throwable bindFailure(RelayConfig config, Throwable e) {
        return e instanceof java.net.BindException
                ? new IllegalStateException(
                        "relay cannot listen on "
                                + config.listenHost()
                                + ":"
                                + config.listenPort()
                                + " ("
                                + e.getMessage()
                                + "); change listen.port or listen.host",
                        e)
                : e;
    }

    private static Future<Relay> deploy(Vertx vertx, RelayConfig config, Shared shared) {
        // Vert.x shares one socket among the servers listening on a port. For an ephemeral port
        // that takes a negative key, unique per relay so that two relays never share one; the keys
        // start far from -1 because other servers of the same Vertx (a simulator in a test, say)
        // count their own keys from there.
        int port =
                config.listenPort() == 0
                        ? -(EPHEMERAL_KEY_BASE + EPHEMERAL_KEYS.incrementAndGet())
                        : config.listenPort();
        List<RelayVerticle> verticles = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(
                        () -> {
                            RelayVerticle verticle =
                                    new RelayVerticle(
                                            config,
                                            port,
                                            shared.publisher(),
                                            shared.metrics(),
                                            shared.readiness(),
                                            shared.openAiHealth(),
                                            shared.anthropicHealth(),
                                            shared.shuttingDown()::get,
                                            shared.admission(),
                                            shared.metricsToken(),
                                            shared.prices(),
                                            shared.rates(),
                                            shared.budgetToken());
                            verticles.add(verticle);
                            return verticle;
                        },
                        new DeploymentOptions().setInstances(config.instances()))
                .map(id -> new Relay(vertx, config, shared, id, verticles))
                .onSuccess(
                        relay ->
                                LOG.info(
                                        "Relay listening on {}:{} with {}",
                                        config.listenHost(),
                                        relay.port(),
                                        config));
    }

    /** The port the relay listens on (the bound one when configured with 0). */
    public int port() {
        return port;
    }

    public RelayConfig config() {
        return config;
    }

    /**
     * Stops the relay gracefully, within the configured grace period plus the time to flush the
     * producer. Calling it again returns the same future.
     */
    public synchronized Future<Void> shutdown() {
        if (shutdown == null) {
            shared.shuttingDown().set(true);
            if (priceReloadTimer >= 0) {
                vertx.cancelTimer(priceReloadTimer);
            }
            LOG.info("Relay shutting down; streams get {} to finish", config.shutdownGrace());
            List<Future<Void>> drains =
                    verticles.stream().map(v -> v.drain(config.shutdownGrace())).toList();
            shutdown =
                    Future.join(drains)
                            .eventually(() -> vertx.undeploy(deployment))
                            .eventually(() -> vertx.executeBlocking(shared::close, false))
                            .<Void>mapEmpty()
                            .onComplete(done -> LOG.info("Relay stopped"));
        }
        return shutdown;
    }

    /** What all event loops of one relay share. */
    private record Shared(
            RelayMetrics metrics,
            EventPublisher publisher,
            KafkaReadiness readiness,
            UpstreamHealth openAiHealth,
            UpstreamHealth anthropicHealth,
            AtomicBoolean shuttingDown,
            KeyRegistry keys,
            Admission admission,
            TokenFile metricsToken,
            PriceBook prices,
            RateLimits rates,
            String budgetToken) {

        /** Creates the Kafka clients, which resolve addresses: off the event loop. */
        static Shared create(RelayConfig config) {
            TokenFile metricsToken = metricsToken(config); // before anything needs closing
            String budgetToken =
                    config.budgetTokenFile() == null
                            ? null
                            : TokenFile.secret(config.budgetTokenFile(), "budget.token-file");
            if (config.authMode() == AuthMode.PLATFORM && config.budgetUrl() == null) {
                LOG.warn(
                        "budget.url is empty: keys with a budget are refused (503) and customer"
                                + " budgets are not checked; set it to metering's query API");
            }
            // Wrong credentials or an untrusted broker: one line now, not a retry loop.
            KafkaAccessCheck.check(
                    KafkaSettings.admin(config), RelayConfig.PRODUCER_PREFIX, ACCESS_CHECK_TIMEOUT);
            RelayMetrics metrics = new RelayMetrics();
            Topic<String, StreamEvent> topic =
                    new TopicCatalog(config.topicPrefix()).streamEvents();
            EventPublisher publisher =
                    new EventPublisher(
                            KafkaSettings.producer(config),
                            topic,
                            config.publishQueueCapacity(),
                            config.spool(),
                            metrics);
            KeyRegistry keys = null;
            try {
                Admission admission = null;
                if (config.authMode() == AuthMode.PLATFORM) {
                    Credentials credentials =
                            config.authCredentialsFile() == null
                                    ? Credentials.none()
                                    : Credentials.read(config.authCredentialsFile());
                    keys =
                            KeyRegistry.start(
                                    registrySettings(config),
                                    new TopicCatalog(config.topicPrefix()).keys(),
                                    REGISTRY_TIMEOUT);
                    admission = new Admission(keys, credentials);
                }
                KafkaReadiness readiness =
                        new KafkaReadiness(
                                KafkaSettings.admin(config), topic.name(), READINESS_MAX_AGE);
                return new Shared(
                        metrics,
                        publisher,
                        readiness,
                        new UpstreamHealth(config.upstreamName()),
                        new UpstreamHealth(config.anthropicName()),
                        new AtomicBoolean(),
                        keys,
                        admission,
                        metricsToken,
                        prices(config),
                        new RateLimits(),
                        budgetToken);
            } catch (RuntimeException e) {
                if (keys != null) {
                    keys.close();
                }
                publisher.close(Duration.ZERO);
                throw e;
            }
        }

        /**
         * The token {@code /metrics} asks for: null with {@code metrics.auth=none}.
         *
         * @throws IllegalArgumentException one line naming the settings, when the token is missing,
         *     unreadable or too short
         */
        static TokenFile metricsToken(RelayConfig config) {
            if (config.metricsAuth() == MetricsAuth.NONE) {
                return null;
            }
            if (config.metricsTokenFile() == null) {
                throw new IllegalArgumentException(
                        "metrics.auth=token needs metrics.token-file: set it to a file holding the"
                                + " /metrics bearer token (at least "
                                + TokenFile.MIN_CHARS
                                + " characters), or set metrics.auth=none to leave /metrics open"
                                + " to anyone who reaches the port");
            }
            return TokenFile.read(config.metricsTokenFile(), "metrics.token-file");
        }

        /**
         * The key registry's consumer: the admin client's settings (bootstrap servers, security)
         * are also consumer settings.
         */
        private static Map<String, Object> registrySettings(RelayConfig config) {
            Map<String, Object> settings = new HashMap<>();
            KafkaSettings.admin(config)
                    .forEach(
                            (k, v) -> {
                                if (ConsumerConfig.configNames().contains(k)) {
                                    settings.put(k, v);
                                }
                            });
            settings.put(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "streammeter-" + config.instanceId() + "-keys");
            return settings;
        }

        /** The price table of the cost header: price-file, read now, or the bundled table. */
        private static PriceBook prices(RelayConfig config) {
            if (config.priceFile() == null) {
                return PriceBook.fixed(PriceFile.bundled());
            }
            return PriceBook.watching(config.priceFile());
        }

        Void close() {
            if (keys != null) {
                keys.close();
            }
            publisher.close(PUBLISHER_CLOSE_TIMEOUT);
            readiness.close();
            metrics.close();
            return null;
        }
    }
}
