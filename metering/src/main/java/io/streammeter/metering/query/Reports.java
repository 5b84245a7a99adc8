package io.streammeter.metering.query;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.metering.query.QueryParams.AlertsQuery;
import io.streammeter.metering.query.QueryParams.SpendQuery;
import io.streammeter.metering.query.QueryParams.TopQuery;
import io.streammeter.metering.query.Responses.AlertList;
import io.streammeter.metering.query.Responses.AlertView;
import io.streammeter.metering.query.Responses.Bucket;
import io.streammeter.metering.query.Responses.KeySpend;
import io.streammeter.metering.query.Responses.ModelSpend;
import io.streammeter.metering.query.Responses.SpendReport;
import io.streammeter.metering.query.Responses.TopKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds the query API's answers from store rows, and merges answers of several instances. */
public final class Reports {
    private Reports() {}

    public static SpendReport spend(SpendQuery query, Collection<SpendAggregate> rows) {
        long width = query.granularity().width().toMillis();
        Map<Long, Map<String, SpendFigures>> byBucket = new TreeMap<>();
        Map<String, SpendFigures> byModel = new TreeMap<>();
        for (SpendAggregate row : rows) {
            long start = row.getWindowStart().toEpochMilli();
            long bucket = start - Math.floorMod(start, width);
            SpendFigures figures = SpendFigures.of(row);
            byBucket.computeIfAbsent(bucket, b -> new TreeMap<>())
                    .merge(row.getModel(), figures, SpendFigures::plus);
            byModel.merge(row.getModel(), figures, SpendFigures::plus);
        }
        List<Bucket> buckets = new ArrayList<>();
        byBucket.forEach(
                (start, models) ->
                        buckets.add(
                                new Bucket(
                                        Instant.ofEpochMilli(start).toString(),
                                        Instant.ofEpochMilli(start + width).toString(),
                                        modelList(models),
                                        total(models.values()))));
        return new SpendReport(
                query.keyId(),
                query.from().toString(),
                query.to().toString(),
                query.granularity().code(),
                buckets,
                modelList(byModel),
                total(byModel.values()));
    }

    public static TopKeys top(TopQuery query, Collection<SpendAggregate> rows) {
        Map<String, SpendFigures> byKey = new TreeMap<>();
        for (SpendAggregate row : rows) {
            byKey.merge(row.getKeyId(), SpendFigures.of(row), SpendFigures::plus);
        }
        List<KeySpend> keys = new ArrayList<>();
        byKey.forEach((key, spend) -> keys.add(new KeySpend(key, spend)));
        return new TopKeys(
                query.from().toString(),
                query.to().toString(),
                query.limit(),
                ranked(keys, query.limit()));
    }

    /** The top keys over several instances' answers; each key lives on exactly one instance. */
    public static TopKeys mergeTop(TopQuery query, List<TopKeys> parts) {
        List<KeySpend> keys = new ArrayList<>();
        parts.forEach(p -> keys.addAll(p.keys()));
        return new TopKeys(
                query.from().toString(),
                query.to().toString(),
                query.limit(),
                ranked(keys, query.limit()));
    }

    public static AlertList alerts(AlertsQuery query, Collection<MissingUsageAlert> alerts) {
        List<AlertView> views = new ArrayList<>();
        for (MissingUsageAlert a : alerts) {
            views.add(
                    new AlertView(
                            a.getStreamId(),
                            a.getKeyId(),
                            a.getModel(),
                            a.getUpstream(),
                            a.getOutcome().name(),
                            a.getReason(),
                            a.getEstimatedPromptTokens(),
                            a.getEstimatedCompletionTokens(),
                            a.getEndedAt().toString()));
        }
        return new AlertList(query.since().toString(), query.limit(), newest(views, query.limit()));
    }

    public static AlertList mergeAlerts(AlertsQuery query, List<AlertList> parts) {
        List<AlertView> views = new ArrayList<>();
        parts.forEach(p -> views.addAll(p.alerts()));
        return new AlertList(query.since().toString(), query.limit(), newest(views, query.limit()));
    }

    private static List<KeySpend> ranked(List<KeySpend> keys, int limit) {
        return keys.stream()
                .sorted(
                        Comparator.comparingLong((KeySpend k) -> k.spend().costMicros())
                                .reversed()
                                .thenComparing(KeySpend::keyId))
                .limit(limit)
                .toList();
    }

    private static List<AlertView> newest(List<AlertView> views, int limit) {
        return views.stream()
                .sorted(
                        Comparator.comparing((AlertView a) -> Instant.parse(a.endedAt()))
                                .reversed()
                                .thenComparing(AlertView::streamId))
                .limit(limit)
                .toList();
    }

    private static List<ModelSpend> modelList(Map<String, SpendFigures> models) {
        List<ModelSpend> list = new ArrayList<>();
        models.forEach((model, spend) -> list.add(new ModelSpend(model, spend)));
        return list;
    }

    private static SpendFigures total(Collection<SpendFigures> figures) {
        return figures.stream().reduce(SpendFigures.ZERO, SpendFigures::plus);
    }
}
