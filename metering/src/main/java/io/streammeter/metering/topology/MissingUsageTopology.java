package io.streammeter.metering.topology;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.schemas.AvroSerde;
import io.streammeter.schemas.TopicCatalog;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** One alert per line item missing usage. */
public final class MissingUsageTopology {
    private MissingUsageTopology() {}

    /**
     * In: the fold's changes (key stream id). Out: {@code alerts.missing-usage} (key stream id,
     * MissingUsageAlert), one per line item missing usage, corrections included. Same partition and
     * task as the fold, no repartition; exactly-once. Store: recent alerts by end time, kept for
     * the alert retention, read by the query API.
     */
    public static void build(
            StreamsBuilder builder,
            KStream<String, SummaryChange> changes,
            TopicCatalog topics,
            MeteringConfig config) {
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        EmptyAwareWindowStore.supplier(
                                Stores.persistentWindowStore(
                                        Names.ALERT_STORE,
                                        config.alertRetention(),
                                        Duration.ofMillis(1),
                                        false)),
                        Serdes.String(),
                        AvroSerde.of(MissingUsageAlert.class)));
        var out = Produced.with(Serdes.String(), topics.missingUsageAlerts().valueSerde());
        changes.process(MissingUsageAlertProcessor::new, Named.as(Names.ALERTS), Names.ALERT_STORE)
                .to(topics.missingUsageAlerts().name(), out.withName(Names.ALERTS_SINK));
    }
}
