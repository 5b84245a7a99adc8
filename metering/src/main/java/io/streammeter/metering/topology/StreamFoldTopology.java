package io.streammeter.metering.topology;

import io.streammeter.avro.StreamEvent;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.prices.PriceTable;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** The per-stream fold: dedup, line items, orphans and their corrections. */
public final class StreamFoldTopology {
    /**
     * Bytes of folds kept as objects per task, as {@link OpenStream#estimatedBytes} weighs them:
     * some 20,000 typical folds, far more than streams open at once on one partition, while a
     * partition of unusually large folds (many holes, long tags) cannot take more memory.
     */
    static final long OPEN_FOLD_CACHE_BYTES = 8L * 1024 * 1024;

    /** What a cached absent fold (a key read and not found) is weighed. */
    static final long ABSENT_FOLD_BYTES = 64;

    private StreamFoldTopology() {}

    /**
     * In: {@code stream-events} (key stream id, StreamEvent), duplicates and any arrival order.
     * Out: {@code stream-summaries} (key stream id, StreamSummary, compacted: last revision wins),
     * and the returned changes (key stream id) that spend and alerts read. Assumes a stream's
     * events share a partition; exactly-once keeps stores and outputs in step. Stores: open folds,
     * their deadlines, closed-stream markers (kept for the dedup retention).
     */
    public static KStream<String, SummaryChange> build(
            StreamsBuilder builder,
            TopicCatalog topics,
            MeteringConfig config,
            Supplier<PriceTable> prices,
            MeteringMetrics metrics) {
        addStores(builder, config.dedupRetention());
        Topic<String, StreamEvent> events = topics.streamEvents();
        var in =
                Consumed.with(events.keySerde(), events.valueSerde()).withName(Names.EVENTS_SOURCE);
        var out = Produced.with(Serdes.String(), topics.streamSummaries().valueSerde());
        KStream<String, SummaryChange> changes =
                builder.stream(events.name(), in)
                        .process(
                                () -> new StreamFoldProcessor(config, prices, metrics),
                                Named.as(Names.FOLD),
                                Names.OPEN_STORE,
                                Names.DEADLINE_STORE,
                                Names.CLOSED_STORE);
        changes.mapValues(SummaryChange::current, Named.as(Names.SUMMARY_VALUES))
                .to(topics.streamSummaries().name(), out.withName(Names.SUMMARIES_SINK));
        return changes;
    }

    private static void addStores(StreamsBuilder builder, Duration dedupRetention) {
        // Every event of a stream reads and rewrites its fold: the folds stay objects between
        // commits, so the serde, RocksDB and the changelog see one write per stream per commit.
        builder.addStateStore(
                ObjectCacheStore.builder(
                        Stores.persistentKeyValueStore(Names.OPEN_STORE),
                        Serdes.String(),
                        JsonSerde.folds(),
                        OPEN_FOLD_CACHE_BYTES,
                        fold -> fold == null ? ABSENT_FOLD_BYTES : fold.estimatedBytes()));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(Names.DEADLINE_STORE),
                                Serdes.String(),
                                Serdes.String())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        EmptyAwareWindowStore.supplier(
                                Stores.persistentWindowStore(
                                        Names.CLOSED_STORE,
                                        dedupRetention,
                                        Duration.ofMillis(1),
                                        false)),
                        Serdes.String(),
                        new ClosedStreamSerde()));
    }
}
