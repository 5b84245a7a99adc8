package io.streammeter.metering.topology;

import io.streammeter.metering.config.MeteringConfig.DeserializationErrors;
import io.streammeter.metering.metrics.MeteringMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be read is logged by position (topic, partition, offset, and the error;
 * never its bytes, which may hold tags or content) and counted; then skipped or fatal, as {@code
 * deserialization-errors} says. Skipping is the default: one unreadable record must not stop the
 * billing of every other stream, and what it loses stays visible (the metric, and its stream ends
 * up orphaned or with a sequence gap).
 */
public final class DeserializationErrorHandler implements DeserializationExceptionHandler {
    /** Config key under which {@link StreamsSettings} passes the metrics object. */
    public static final String METRICS_CONFIG = "streammeter.metrics";

    /** Config key under which {@link StreamsSettings} passes the {@link DeserializationErrors}. */
    public static final String MODE_CONFIG = "streammeter.deserialization.errors";

    private static final Logger LOG = LoggerFactory.getLogger(DeserializationErrorHandler.class);

    private MeteringMetrics metrics;
    private boolean skip = true;

    @Override
    public void configure(Map<String, ?> configs) {
        metrics = (MeteringMetrics) configs.get(METRICS_CONFIG);
        skip = !DeserializationErrors.FAIL.name().equals(String.valueOf(configs.get(MODE_CONFIG)));
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
        LOG.error(
                "Unreadable record at {}-{} offset {}: {} ({})",
                context.topic(),
                context.partition(),
                context.offset(),
                e.toString(),
                skip ? "skipped" : "stopping");
        if (metrics != null) {
            metrics.deserializationError(skip);
        }
        return skip ? Response.resume() : Response.fail();
    }
}
