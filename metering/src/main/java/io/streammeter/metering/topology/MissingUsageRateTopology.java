package io.streammeter.metering.topology;

import io.streammeter.avro.MissingUsageRateAlert;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.Alerts;
import io.streammeter.metering.domain.RateWindow;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.schemas.AvroSerde;
import io.streammeter.schemas.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/** The share of streams missing usage per (model, upstream), the view ops pages on. */
public final class MissingUsageRateTopology {
    private MissingUsageRateTopology() {}

    /**
     * In: the fold's changes, first revisions of streams the upstream accepted (or orphaned),
     * repartitioned by {@code model|upstream} ({@code rate-by-model-and-upstream}). Out: {@code
     * alerts.missing-usage-rate} (key {@code model|upstream|windowStart}, MissingUsageRateAlert),
     * at most one per window, when the share first exceeds the threshold. Tumbling windows on end
     * time; line items later than the rate grace are dropped (Kafka Streams' dropped-records
     * metric).
     */
    public static void build(
            StreamsBuilder builder,
            KStream<String, SummaryChange> changes,
            TopicCatalog topics,
            MeteringConfig config,
            MeteringMetrics metrics) {
        int threshold = config.rateThresholdPermille();
        int minStreams = config.rateMinStreams();
        var windows = TimeWindows.ofSizeAndGrace(config.rateWindow(), config.rateGrace());
        var grouped =
                Grouped.with(
                        Names.RATE_GROUPED, Serdes.String(), AvroSerde.of(StreamSummary.class));
        var out = Produced.with(Serdes.String(), topics.missingUsageRateAlerts().valueSerde());
        changes.mapValues(SummaryChange::current, Named.as(Names.RATE_LINE_ITEMS))
                .filter((id, item) -> Alerts.countsTowardsRate(item), Named.as(Names.RATE_ELIGIBLE))
                .map(
                        (id, item) -> KeyValue.pair(Alerts.rateKey(item), item),
                        Named.as(Names.RATE_KEYED))
                .groupByKey(grouped)
                .windowedBy(windows)
                .aggregate(
                        () -> RateWindow.EMPTY,
                        (key, item, window) ->
                                window.count(item.getMissingUsage(), threshold, minStreams),
                        Named.as(Names.RATE_WINDOWS),
                        store(config))
                .toStream(Named.as(Names.RATE_WINDOW_UPDATES))
                .filter((key, window) -> window.crossed(), Named.as(Names.RATE_CROSSED))
                .map(
                        (key, window) -> alert(key, window, threshold, metrics),
                        Named.as(Names.RATE_ALERTS))
                .to(topics.missingUsageRateAlerts().name(), out.withName(Names.RATE_ALERTS_SINK));
    }

    private static Materialized<String, RateWindow, WindowStore<Bytes, byte[]>> store(
            MeteringConfig config) {
        return Materialized.<String, RateWindow>as(
                        EmptyAwareWindowStore.supplier(
                                Stores.persistentTimestampedWindowStore(
                                        Names.RATE_STORE,
                                        config.rateWindow().plus(config.rateGrace()),
                                        config.rateWindow(),
                                        false)))
                .withKeySerde(Serdes.String())
                .withValueSerde(new JsonSerde<>(RateWindow.class))
                .withCachingDisabled();
    }

    static KeyValue<String, MissingUsageRateAlert> alert(
            Windowed<String> key, RateWindow window, int threshold, MeteringMetrics metrics) {
        metrics.rateAlert();
        long start = key.window().start();
        return KeyValue.pair(
                Alerts.rateAlertKey(key.key(), start),
                Alerts.rate(key.key(), start, key.window().end(), window, threshold));
    }
}
