package io.streammeter.metering.query;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.RateWindow;
import io.streammeter.metering.query.LineItemViews.InFlight;
import io.streammeter.metering.query.LineItemViews.InFlightKey;
import io.streammeter.metering.query.LineItemViews.LineItem;
import io.streammeter.metering.query.LineItemViews.LineItemList;
import io.streammeter.metering.query.LineItemViews.RateReport;
import io.streammeter.metering.query.LineItemViews.RateView;
import io.streammeter.prices.PriceTable;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The query API's per-stream routes: a line item by stream id, a key's line items newest first, and
 * the streams open right now. Line items are partitioned by stream id, so every route gathers each
 * instance's part (as top keys does) and merges; a forwarded request answers its part only.
 */
public final class LineItemRoutes {
    private final QueryApi api;
    private final Supplier<PriceTable> prices;
    private final Clock clock;
    private final Duration retention;
    private final Duration rateWindow;
    private final int thresholdPermille;
    private final int minStreams;

    public LineItemRoutes(
            QueryApi api, Supplier<PriceTable> prices, Clock clock, MeteringConfig config) {
        this.api = api;
        this.prices = prices;
        this.clock = clock;
        this.retention = config.spendRetention(); // line items stay as long as spend
        this.rateWindow = config.rateWindow().plus(config.rateGrace());
        this.thresholdPermille = config.rateThresholdPermille();
        this.minStreams = config.rateMinStreams();
    }

    public void mount(Router router) {
        router.get("/v1/line-items/:streamId").handler(ctx -> api.respond(ctx, () -> one(ctx)));
        router.get("/v1/keys/:keyId/line-items").handler(ctx -> api.respond(ctx, () -> ofKey(ctx)));
        router.get("/v1/in-flight").handler(ctx -> api.respond(ctx, () -> inFlight(ctx)));
        router.get("/v1/missing-usage/rate").handler(ctx -> api.respond(ctx, () -> rate(ctx)));
    }

    private Future<Object> rate(RoutingContext ctx) {
        Instant now = clock.instant();
        Future<RateReport> local =
                api.blocking(
                        () -> {
                            List<RateView> views = new ArrayList<>();
                            for (var kv : api.stores().rateWindows(now.minus(rateWindow), now)) {
                                String[] parts = kv.key.key().split("\\|", 2);
                                RateWindow w = kv.value;
                                views.add(
                                        new RateView(
                                                parts[0],
                                                parts.length > 1 ? parts[1] : "",
                                                kv.key.window().startTime().toString(),
                                                kv.key.window().endTime().toString(),
                                                w.streams(),
                                                w.missing(),
                                                w.sharePermille(),
                                                w.alerting()));
                            }
                            return new RateReport(thresholdPermille, minStreams, views);
                        });
        return api.gather(ctx, "missing-usage-rate", local, RateReport.class)
                .map(
                        parts -> {
                            List<RateView> all = new ArrayList<>();
                            parts.forEach(p -> all.addAll(p.windows()));
                            all.sort(
                                    Comparator.comparing(RateView::windowStart)
                                            .reversed()
                                            .thenComparing(RateView::model)
                                            .thenComparing(RateView::upstream));
                            return new RateReport(thresholdPermille, minStreams, all);
                        });
    }

    private Future<Object> one(RoutingContext ctx) {
        String streamId = ctx.pathParam("streamId");
        if (streamId.isBlank() || streamId.length() > 200) {
            throw ApiError.badParameter("stream_id", "is not a stream id");
        }
        Instant now = clock.instant();
        Future<LineItemList> local =
                api.blocking(
                        () ->
                                list(
                                        null,
                                        1,
                                        api.stores()
                                                .lineItem(
                                                        streamId,
                                                        now.minus(retention),
                                                        now.plus(Duration.ofDays(1)))));
        if (QueryApi.isForwarded(ctx)) {
            return local.map(part -> part);
        }
        return api.gather(ctx, "line-item", local, LineItemList.class)
                .map(
                        parts -> {
                            LineItemList all = merge(null, 1, parts);
                            if (all.lineItems().isEmpty()) {
                                throw ApiError.noLineItem(streamId);
                            }
                            LineItem item = all.lineItems().get(0);
                            String caller = QueryAuth.platformKeyId(ctx);
                            if (caller != null && !caller.equals(item.keyId())) {
                                throw ApiError.forbidden(
                                        "a platform key may read only its own line items");
                            }
                            return item;
                        });
    }

    private Future<Object> ofKey(RoutingContext ctx) {
        String keyId = ctx.pathParam("keyId");
        if (keyId.isBlank() || keyId.length() > 200 || keyId.indexOf('|') >= 0) {
            throw ApiError.badParameter("key_id", "is not a key id");
        }
        int limit = QueryParams.limit(ctx.request().getParam("limit"), 50);
        Instant now = clock.instant();
        Future<LineItemList> local =
                api.blocking(
                        () ->
                                list(
                                        keyId,
                                        limit,
                                        api.stores()
                                                .lineItemsOf(
                                                        keyId,
                                                        limit,
                                                        now.minus(retention),
                                                        now.plus(Duration.ofDays(1)))));
        return api.gather(ctx, "key-line-items", local, LineItemList.class)
                .map(parts -> merge(keyId, limit, parts));
    }

    private Future<Object> inFlight(RoutingContext ctx) {
        Instant now = clock.instant();
        Future<InFlight> local =
                api.blocking(
                        () -> InFlightReports.of(api.stores().openStreams(), prices.get(), now));
        return api.gather(ctx, "in-flight", local, InFlight.class)
                .map(
                        parts -> {
                            List<List<InFlightKey>> keys = new ArrayList<>();
                            parts.forEach(p -> keys.add(p.keys()));
                            return InFlightReports.merge(now, keys);
                        });
    }

    /** Newest first (end time, then stream id), at most {@code limit}. */
    static LineItemList list(String keyId, int limit, List<StreamSummary> items) {
        List<LineItem> views = new ArrayList<>();
        items.forEach(item -> views.add(LineItem.of(item)));
        return new LineItemList(keyId, limit, newest(views, limit));
    }

    static LineItemList merge(String keyId, int limit, List<LineItemList> parts) {
        List<LineItem> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.lineItems()));
        return new LineItemList(keyId, limit, newest(all, limit));
    }

    private static List<LineItem> newest(List<LineItem> items, int limit) {
        return items.stream()
                .sorted(
                        Comparator.comparing((LineItem i) -> Instant.parse(i.endedAt()))
                                .thenComparingInt(LineItem::revision)
                                .reversed()
                                .thenComparing(LineItem::streamId))
                .limit(limit)
                .toList();
    }
}
