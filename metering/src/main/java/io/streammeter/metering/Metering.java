package io.streammeter.metering;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streammeter.avro.CustomerBudget;
import io.streammeter.config.KafkaAccessCheck;
import io.streammeter.metering.budget.BudgetBook;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.keys.CompactedTopic;
import io.streammeter.metering.keys.CustomerBudgets;
import io.streammeter.metering.keys.KeyTopic;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.metering.query.AdminToken;
import io.streammeter.metering.query.BudgetRoutes;
import io.streammeter.metering.query.KeyAdminRoutes;
import io.streammeter.metering.query.LineItemRoutes;
import io.streammeter.metering.query.PlatformKeys;
import io.streammeter.metering.query.QueryApi;
import io.streammeter.metering.query.QueryAuth;
import io.streammeter.metering.query.SpendPage;
import io.streammeter.metering.topology.MeteringTopology;
import io.streammeter.metering.topology.StreamsSettings;
import io.streammeter.metering.topology.ThreadFailures;
import io.streammeter.prices.PriceBook;
import io.streammeter.prices.PriceFile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running metering instance: the Kafka Streams application and the query API beside it. Start
 * with {@link #start}, stop with {@link #close}. An exception that escapes processing stops the
 * whole instance (state {@code ERROR}); exactly-once means a restart resumes where it failed.
 */
public final class Metering implements AutoCloseable {
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** How long the admin API waits for the keys topic (read to its end, or a write's ack). */
    static final Duration KEY_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Metering.class);

    private final Vertx vertx;
    private final HttpServer server;
    private final KafkaStreams streams;
    private final QueryApi api;
    private final MeteringMetrics metrics;
    private final PlatformKeys platformKeys;
    private final KeyTopic keyTopic;
    private final BudgetBook budgets;
    private final CompactedTopic<CustomerBudget> customerBudgets;
    private final Object stateLock = new Object();
    private State state = State.CREATED;

    private Metering(
            Vertx vertx,
            HttpServer server,
            KafkaStreams streams,
            QueryApi api,
            MeteringMetrics metrics,
            PlatformKeys platformKeys,
            KeyTopic keyTopic,
            CompactedTopic<CustomerBudget> customerBudgets,
            BudgetBook budgets) {
        this.customerBudgets = customerBudgets;
        this.budgets = budgets;
        this.platformKeys = platformKeys;
        this.keyTopic = keyTopic;
        this.vertx = vertx;
        this.server = server;
        this.streams = streams;
        this.api = api;
        this.metrics = metrics;
    }

    /**
     * Binds the query API, then starts Kafka Streams; returns without waiting for RUNNING.
     *
     * @throws IllegalArgumentException one line naming the key when the query API would be open
     *     without {@code auth.mode=none} (no {@code auth.admin-token-file}), or the token is
     *     unusable
     */
    public static Metering start(MeteringConfig config) {
        AdminToken token = AdminToken.of(config);
        Map<String, Object> access = new HashMap<>(config.kafka());
        access.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // Wrong credentials or an untrusted broker: one line now, not a stream thread retrying.
        KafkaAccessCheck.check(access, MeteringConfig.KAFKA_PREFIX, Duration.ofSeconds(5));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        MeteringMetrics metrics = new MeteringMetrics(registry);
        PriceBook prices = prices(config);
        Vertx vertx = Vertx.vertx();
        PlatformKeys platformKeys = null;
        KeyTopic keyTopic = null;
        CompactedTopic<CustomerBudget> customerBudgets = null;
        BudgetBook budgets = null;
        try {
            Router router = Router.router(vertx);
            router.get("/healthz").handler(ctx -> ctx.json(Map.of("status", "up")));
            // Before every other route, so a route added later cannot be left open by mistake.
            platformKeys =
                    token == null || config.authKeyIdPepper() == null
                            ? null
                            : new PlatformKeys(
                                    config.authKeyIdPepper(),
                                    PlatformKeys.consumerSettings(
                                            config.bootstrapServers(), config.kafka()),
                                    config.catalog().keys());
            router.route().handler(new QueryAuth(token, platformKeys));
            SpendPage.mount(router);
            HttpServer server =
                    vertx.createHttpServer()
                            .requestHandler(router)
                            .listen(config.queryPort(), config.queryHost())
                            .await(30, TimeUnit.SECONDS);
            HostInfo self = advertised(config, server.actualPort());
            KafkaStreams streams =
                    new KafkaStreams(
                            MeteringTopology.build(config, prices, metrics),
                            StreamsSettings.of(
                                    config,
                                    self == null ? null : self.host() + ":" + self.port(),
                                    metrics));
            QueryApi api =
                    new QueryApi(
                            vertx,
                            streams,
                            self,
                            metrics,
                            Clock.systemUTC(),
                            config.spendRetention(),
                            token,
                            config.queryPeerTimeout());
            api.mount(router);
            new LineItemRoutes(api, prices, Clock.systemUTC(), config).mount(router);
            if (config.budgetEnabled()) {
                budgets =
                        new BudgetBook(
                                PlatformKeys.consumerSettings(
                                        config.bootstrapServers(), config.kafka()),
                                config.catalog(),
                                prices,
                                Clock.systemUTC(),
                                config.budgetHoldTimeout(),
                                config.budgetMaxOutputTokens(),
                                config.budgetHoldInFlight(),
                                () -> BudgetRoutes.isAuthority(api));
                new BudgetRoutes(api, budgets, Clock.systemUTC()).mount(router);
            }
            keyTopic = new KeyTopic(keyAdminSettings(config), config.catalog().keys(), KEY_TIMEOUT);
            customerBudgets =
                    CustomerBudgets.topic(
                            keyAdminSettings(config),
                            config.catalog().customerBudgets(),
                            KEY_TIMEOUT);
            new KeyAdminRoutes(
                            vertx,
                            keyTopic,
                            customerBudgets,
                            config.authKeyIdPepper(),
                            Clock.systemUTC())
                    .mount(router);
            Metering metering =
                    new Metering(
                            vertx,
                            server,
                            streams,
                            api,
                            metrics,
                            platformKeys,
                            keyTopic,
                            customerBudgets,
                            budgets);
            streams.setStateListener((next, previous) -> metering.onState(next));
            streams.setUncaughtExceptionHandler(
                    e -> {
                        StreamThreadExceptionResponse response = ThreadFailures.response(e);
                        if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                            LOG.warn(
                                    "A stream thread gave up waiting for Kafka ({}); a new one"
                                            + " resumes from the last commit",
                                    e.getMessage());
                        } else {
                            LOG.error("Metering stops: processing failed", e);
                        }
                        return response;
                    });
            new KafkaStreamsMetrics(streams).bindTo(registry);
            if (config.priceFile() != null && !config.priceReloadInterval().isZero()) {
                vertx.setPeriodic(
                        config.priceReloadInterval().toMillis(),
                        id -> vertx.executeBlocking(prices::reloadIfChanged, false));
            }
            streams.start();
            LOG.info(
                    "Metering started; query API on {}:{} ({})",
                    config.queryHost(),
                    server.actualPort(),
                    token == null ? "open to anyone: auth.mode=none" : "admin token required");
            return metering;
        } catch (RuntimeException e) {
            closeQuietly(platformKeys);
            closeQuietly(keyTopic);
            closeQuietly(customerBudgets);
            if (budgets != null) {
                budgets.close();
            }
            vertx.close();
            throw e;
        } catch (Exception e) {
            closeQuietly(platformKeys);
            closeQuietly(keyTopic);
            closeQuietly(customerBudgets);
            if (budgets != null) {
                budgets.close();
            }
            vertx.close();
            if (e instanceof java.net.BindException) {
                throw new IllegalStateException(
                        "metering's query API cannot listen on "
                                + config.queryHost()
                                + ":"
                                + config.queryPort()
                                + " ("
                                + e.getMessage()
                                + "); change query-port or query-host",
                        e);
            }
            throw new IllegalStateException("Cannot start metering: " + e.getMessage(), e);
        }
    }

    /** The admin API's key topic client: metering's bootstrap servers and security settings. */
    private static Map<String, Object> keyAdminSettings(MeteringConfig config) {
        Map<String, Object> settings =
                new java.util.HashMap<>(
                        PlatformKeys.consumerSettings(config.bootstrapServers(), config.kafka()));
        settings.put("client.id", "streammeter-metering-key-admin");
        return settings;
    }

    private static void closeQuietly(CompactedTopic<?> topic) {
        if (topic != null) {
            topic.close();
        }
    }

    private static void closeQuietly(PlatformKeys keys) {
        if (keys != null) {
            keys.close();
        }
    }

    static PriceBook prices(MeteringConfig config) {
        if (config.priceFile() == null) {
            LOG.warn("No price-file configured: using the bundled example price table");
            return PriceBook.fixed(PriceFile.bundled());
        }
        return PriceBook.watching(config.priceFile());
    }

    static HostInfo advertised(MeteringConfig config, int boundPort) {
        String server = config.applicationServer();
        if (server == null) {
            return null;
        }
        int colon = server.lastIndexOf(':');
        return colon < 0
                ? new HostInfo(server, boundPort)
                : new HostInfo(
                        server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    }

    public KafkaStreams streams() {
        return streams;
    }

    public MeteringMetrics metrics() {
        return metrics;
    }

    /** The port the query API listens on (the bound one when configured as 0). */
    public int queryPort() {
        return server.actualPort();
    }

    /** Waits until Kafka Streams is RUNNING; false if it was not within {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return awaitState(timeout, s -> s == State.RUNNING) == State.RUNNING;
    }

    /**
     * Waits until the instance has stopped ({@code NOT_RUNNING} or {@code ERROR}); its final state.
     */
    public State awaitTermination() throws InterruptedException {
        return awaitState(null, s -> s == State.NOT_RUNNING || s == State.ERROR);
    }

    private State awaitState(Duration timeout, Predicate<State> done) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (!done.test(state)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(
                        stateLock, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
            return state;
        }
    }

    private void onState(State next) {
        synchronized (stateLock) {
            state = next;
            stateLock.notifyAll();
        }
    }

    /** Stops Kafka Streams (committing), then the query API. Safe to call twice. */
    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
        api.close();
        closeQuietly(platformKeys);
        closeQuietly(keyTopic);
        closeQuietly(customerBudgets);
        if (budgets != null) {
            budgets.close();
        }
        try {
            server.close().await(10, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Query API did not stop within 10 s");
        }
    }
}
