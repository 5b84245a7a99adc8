package io.streammeter.metering.topology;

import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.metrics.MeteringMetrics;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;

/**
 * The Kafka Streams settings of metering. Exception handlers are chosen here: deserialization as
 * configured ({@link DeserializationErrorHandler}); production fails (a line item that cannot be
 * written must not be skipped); processing fails (a bug must not silently drop billing events; the
 * application stops and exactly-once replays the batch after the fix). Settings under {@code kafka}
 * are applied last and may override any of these.
 */
public final class StreamsSettings {
    private StreamsSettings() {}

    public static Properties of(
            MeteringConfig config, String applicationServer, MeteringMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee().config());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeserializationErrorHandler.class);
        props.put(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DefaultProductionExceptionHandler.class);
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DeserializationErrorHandler.METRICS_CONFIG, metrics);
        props.put(DeserializationErrorHandler.MODE_CONFIG, config.deserializationErrors().name());
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        props.putAll(config.kafka());
        return props;
    }
}
