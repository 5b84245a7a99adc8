package io.streammeter.metering.topology;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.schemas.AvroSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps recent line items queryable: by stream id ({@link Names#LINE_ITEM_STORE}) and by key id
 * ({@link Names#KEY_LINE_ITEM_STORE}, keyed {@code keyId|streamId}), both bucketed by end time and
 * kept for the spend retention, so every hour the query API answers spend for can be opened down to
 * its line items. Same partition and task as the fold (the changes are keyed by stream id), no
 * repartition, no output topic: {@code stream-summaries} stays the record of every line item.
 */
public final class LineItemTopology {
    /** Separates the key id from the stream id in the by-key store. */
    public static final char SEPARATOR = '|';

    private LineItemTopology() {}

    public static void build(
            StreamsBuilder builder, KStream<String, SummaryChange> changes, MeteringConfig config) {
        for (String store : new String[] {Names.LINE_ITEM_STORE, Names.KEY_LINE_ITEM_STORE}) {
            builder.addStateStore(
                    Stores.windowStoreBuilder(
                            // Empty-aware: a partition with no line item yet must not be
                            // declared corrupted at every restart (see EmptyAwareWindowStore).
                            EmptyAwareWindowStore.supplier(
                                    Stores.persistentWindowStore(
                                            store,
                                            config.spendRetention(),
                                            Duration.ofMillis(1),
                                            false)),
                            Serdes.String(),
                            AvroSerde.of(StreamSummary.class)));
        }
        changes.process(
                LineItemIndexProcessor::new,
                Named.as(Names.LINE_ITEM_INDEX),
                Names.LINE_ITEM_STORE,
                Names.KEY_LINE_ITEM_STORE);
    }

    /** The by-key store's key of a line item; null when the stream never said its key. */
    public static String keyOf(StreamSummary item) {
        return item.getKeyId() == null ? null : item.getKeyId() + SEPARATOR + item.getStreamId();
    }
}
