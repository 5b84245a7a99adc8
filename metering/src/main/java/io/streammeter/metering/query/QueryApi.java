package io.streammeter.metering.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.metering.query.QueryParams.AlertsQuery;
import io.streammeter.metering.query.QueryParams.SpendQuery;
import io.streammeter.metering.query.QueryParams.TopQuery;
import io.streammeter.metering.query.Responses.AlertList;
import io.streammeter.metering.query.Responses.TopKeys;
import io.streammeter.metering.topology.KeyIdPartitioner;
import io.streammeter.metering.topology.Names;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP JSON API over metering's state stores. A key's spend is answered by the instance whose
 * store holds the key (found through the streams metadata, the request forwarded if that is another
 * instance); top keys and alerts gather every instance's part. A forwarded request carries {@value
 * #LOCAL_HEADER} and the admin token ({@link PeerClient}; {@link QueryAuth}, mounted before these
 * routes, lets nothing through without the token) and is answered from local stores only. Errors
 * map to a status in {@link #fail}.
 */
public final class QueryApi {
    /** Marks a request one instance forwarded to another: answer locally, do not forward again. */
    public static final String LOCAL_HEADER = "X-Streammeter-Local";

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

    private final Vertx vertx;
    private final KafkaStreams streams;
    private final HostInfo self;
    private final LocalStores stores;
    private final PeerClient peers;
    private final MeteringMetrics metrics;
    private final Clock clock;
    private final Duration spendRetention;

    /**
     * @param self this instance's {@code application.server}; null for a single instance
     * @param spendRetention how far back the spend store answers; older ranges are a 400
     * @param token the admin token forwarded requests carry; null with {@code auth.mode=none}
     * @param peerTimeout how long a forwarded request may take
     */
    public QueryApi(
            Vertx vertx,
            KafkaStreams streams,
            HostInfo self,
            MeteringMetrics metrics,
            Clock clock,
            Duration spendRetention,
            AdminToken token,
            Duration peerTimeout) {
        this.vertx = vertx;
        this.streams = streams;
        this.self = self;
        this.stores = new LocalStores(streams);
        this.peers = new PeerClient(vertx, token, peerTimeout);
        this.metrics = metrics;
        this.clock = clock;
        this.spendRetention = spendRetention;
    }

    public void mount(Router router) {
        router.get("/readyz").handler(this::ready);
        router.get("/metrics").handler(this::metricsPage);
        router.get("/v1/spend").handler(ctx -> respond(ctx, () -> spend(ctx)));
        router.get("/v1/spend/top").handler(ctx -> respond(ctx, () -> top(ctx)));
        router.get("/v1/alerts/missing-usage").handler(ctx -> respond(ctx, () -> alerts(ctx)));
        router.errorHandler(404, ctx -> fail(ctx, ApiError.notFound(ctx.request().path())));
        router.errorHandler(
                405, ctx -> fail(ctx, ApiError.methodNotAllowed(ctx.request().method().name())));
    }

    private Future<Object> spend(RoutingContext ctx) {
        SpendQuery query = QueryParams.spend(ctx.request()::getParam);
        QueryParams.checkRetained(query.from(), oldestRetained(), spendRetention);
        HostInfo owner = isForwarded(ctx) || self == null ? null : ownerOf(query.keyId());
        if (owner == null || owner.equals(self)) {
            return blocking(
                    () ->
                            Reports.spend(
                                    query,
                                    stores.spendOf(query.keyId(), query.from(), query.to())));
        }
        metrics.queryForwarded("spend");
        return forward(owner, ctx.request().uri()).map(body -> read(body, Object.class));
    }

    private Future<Object> top(RoutingContext ctx) {
        TopQuery query = QueryParams.top(ctx.request()::getParam);
        QueryParams.checkRetained(query.from(), oldestRetained(), spendRetention);
        Future<TopKeys> local =
                blocking(() -> Reports.top(query, stores.allSpend(query.from(), query.to())));
        return gather(ctx, "top", local, TopKeys.class)
                .map(parts -> Reports.mergeTop(query, parts));
    }

    private Future<Object> alerts(RoutingContext ctx) {
        AlertsQuery query = QueryParams.alerts(ctx.request()::getParam, clock.instant());
        Future<AlertList> local =
                blocking(
                        () ->
                                Reports.alerts(
                                        query,
                                        stores.alertsSince(
                                                query.since(),
                                                clock.instant().plus(Duration.ofDays(1)))));
        return gather(ctx, "alerts", local, AlertList.class)
                .map(parts -> Reports.mergeAlerts(query, parts));
    }

    /** This instance's {@code application.server}; null for a single instance. */
    HostInfo self() {
        return self;
    }

    PeerClient peers() {
        return peers;
    }

    LocalStores stores() {
        return stores;
    }

    private Instant oldestRetained() {
        return clock.instant().minus(spendRetention);
    }

    /** This instance's answer plus, unless forwarded, every other instance's. */
    <T> Future<List<T>> gather(RoutingContext ctx, String route, Future<T> local, Class<T> type) {
        List<Future<T>> parts = new ArrayList<>(List.of(local));
        if (!isForwarded(ctx) && self != null) {
            for (HostInfo host : otherHosts()) {
                metrics.queryForwarded(route);
                parts.add(forward(host, ctx.request().uri()).map(body -> read(body, type)));
            }
        }
        return Future.all(parts).map(all -> all.<T>list());
    }

    private List<HostInfo> otherHosts() {
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.streamsMetadataForStore(Names.SPEND_STORE)) {
            if (!m.hostInfo().equals(self) && !hosts.contains(m.hostInfo())) {
                hosts.add(m.hostInfo());
            }
        }
        return hosts;
    }

    HostInfo ownerOf(String keyId) {
        KeyQueryMetadata meta =
                streams.queryMetadataForKey(
                        Names.SPEND_STORE, keyId + "|", new KeyIdPartitioner<Object>());
        if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw ApiError.unavailable(
                    "no instance holds key " + keyId + " right now (rebalancing?)");
        }
        return meta.activeHost();
    }

    private Future<Buffer> forward(HostInfo host, String uri) {
        return peers.get(host, uri);
    }

    <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    void respond(RoutingContext ctx, Callable<Future<?>> handler) {
        Future<?> result;
        try {
            result = handler.call();
        } catch (Exception e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(body -> send(ctx, 200, body)).onFailure(e -> fail(ctx, e));
    }

    /** The one place failures become statuses. */
    private void fail(RoutingContext ctx, Throwable e) {
        sendFailure(ctx, e);
    }

    /** An {@link ApiError} as itself; anything else as a 500 that says nothing more. */
    static void sendFailure(RoutingContext ctx, Throwable e) {
        if (e instanceof ApiError error) {
            send(ctx, error.status(), error.body());
            return;
        }
        LOG.error("Query {} failed", ctx.request().path(), e);
        send(
                ctx,
                500,
                new ApiError.Body(new ApiError.Body.Error("internal", "internal error", null)));
    }

    private void ready(RoutingContext ctx) {
        KafkaStreams.State state = streams.state();
        int status = state == KafkaStreams.State.RUNNING ? 200 : 503;
        send(ctx, status, Map.of("state", state.name()));
    }

    private void metricsPage(RoutingContext ctx) {
        String page = metrics.registry() instanceof PrometheusMeterRegistry p ? p.scrape() : "";
        ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(page);
    }

    static boolean isForwarded(RoutingContext ctx) {
        return ctx.request().getHeader(LOCAL_HEADER) != null;
    }

    static void send(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(Buffer body, Class<T> type) {
        try {
            return JSON.readValue(body.getBytes(), type);
        } catch (IOException e) {
            throw ApiError.peerFailed("unreadable answer from another instance: " + e.getMessage());
        }
    }

    public void close() {
        peers.close();
    }
}
