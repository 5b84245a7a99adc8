package io.streammeter.metering.topology;

import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.prices.PriceTable;
import io.streammeter.schemas.TopicCatalog;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The whole metering topology: the fold, then alerts, spend and the rate view reading its output.
 */
public final class MeteringTopology {
    private MeteringTopology() {}

    public static Topology build(
            MeteringConfig config, PriceTable prices, MeteringMetrics metrics) {
        return build(config, () -> prices, metrics);
    }

    /** The topology, pricing each line item with the table {@code prices} holds when it is made. */
    public static Topology build(
            MeteringConfig config, Supplier<PriceTable> prices, MeteringMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        TopicCatalog topics = config.catalog();
        KStream<String, SummaryChange> changes =
                StreamFoldTopology.build(builder, topics, config, prices, metrics);
        LineItemTopology.build(builder, changes, config);
        MissingUsageTopology.build(builder, changes, topics, config);
        SpendTopology.build(builder, changes, topics, config, metrics);
        MissingUsageRateTopology.build(builder, changes, topics, config, metrics);
        return builder.build();
    }
}
