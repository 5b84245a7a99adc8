package io.streammeter.metering.topology;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.SpendEntry;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.schemas.AvroSerde;
import io.streammeter.schemas.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/** Hourly spend per key and model. */
public final class SpendTopology {
    private SpendTopology() {}

    /**
     * In: the fold's changes (key stream id), repartitioned by key id ({@code spend-by-key-id}).
     * Out: {@code spend-hourly} (key {@code keyId|model|windowStart}, SpendAggregate, compacted:
     * the last value is the row), and {@code spend-late} (key stream id, StreamSummary, header
     * {@code streammeter.spend.effect}) for entries past their hour's grace. Exactly-once: a
     * correction retracts its previous revision and adds itself. Store: rows for the spend
     * retention.
     */
    public static void build(
            StreamsBuilder builder,
            KStream<String, SummaryChange> changes,
            TopicCatalog topics,
            MeteringConfig config,
            MeteringMetrics metrics) {
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        EmptyAwareWindowStore.supplier(
                                Stores.persistentWindowStore(
                                        Names.SPEND_STORE,
                                        config.spendRetention(),
                                        MeteringConfig.SPEND_WINDOW,
                                        false)),
                        Serdes.String(),
                        AvroSerde.of(SpendAggregate.class)));
        var byKeyId =
                Repartitioned.<String, SpendEntry>as(Names.SPEND_REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new SpendEntrySerde())
                        .withStreamPartitioner(new KeyIdPartitioner<>());
        changes.flatMapValues(SummaryChange::spendEntries, Named.as(Names.SPEND_ENTRIES))
                .map(SpendTopology::byKeyAndModel, Named.as(Names.SPEND_KEYED))
                .repartition(byKeyId)
                .process(
                        () -> new SpendProcessor(config.spendGrace(), metrics),
                        Named.as(Names.SPEND_AGGREGATE),
                        Names.SPEND_STORE)
                .split(Named.as(Names.SPEND_SPLIT))
                .branch(
                        SpendOutput::isLate,
                        Branched.withConsumer(late -> toLate(late, topics), Names.SPEND_LATE))
                .defaultBranch(
                        Branched.withConsumer(rows -> toRows(rows, topics), Names.SPEND_UPDATED));
    }

    private static void toLate(KStream<String, SpendOutput> late, TopicCatalog topics) {
        var out = Produced.with(Serdes.String(), topics.spendLate().valueSerde());
        late.mapValues(SpendTopology::lateLineItem, Named.as(Names.SPEND_LATE_ITEMS))
                .to(topics.spendLate().name(), out.withName(Names.SPEND_LATE_SINK));
    }

    private static void toRows(KStream<String, SpendOutput> rows, TopicCatalog topics) {
        var out = Produced.with(Serdes.String(), topics.spendHourly().valueSerde());
        rows.mapValues(SpendTopology::row, Named.as(Names.SPEND_ROWS))
                .to(topics.spendHourly().name(), out.withName(Names.SPEND_SINK));
    }

    static KeyValue<String, SpendEntry> byKeyAndModel(String streamId, SpendEntry entry) {
        return KeyValue.pair(entry.key().storeKey(), entry);
    }

    static StreamSummary lateLineItem(SpendOutput output) {
        return ((SpendOutput.Late) output).entry().lineItem();
    }

    static SpendAggregate row(SpendOutput output) {
        return ((SpendOutput.Updated) output).row();
    }
}
