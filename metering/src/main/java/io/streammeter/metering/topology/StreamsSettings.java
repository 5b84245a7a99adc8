package io.streammeter.metering.topology;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.metrics.MeteringMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;

/**
 * The Kafka Streams settings of metering. Exception handlers are chosen here: deserialization as
 * configured ({@link DeserializationErrorHandler}); production fails (a line item that cannot be
 * written must not be skipped); processing fails (a bug must not silently drop billing events; the
 * application stops and exactly-once replays the batch after the fix). Settings under {@code kafka}
 * are applied last and may override any of these.
 *
 * <p>Restarts (measured in MeteringRestartIT; docs/metering.md, "Restarts"): static membership
 * under a stable {@code group.instance.id}, so a restarted or killed-and-restarted instance takes
 * its partitions back without waiting for its old member to time out (that wait, 45 s by default,
 * was most of a restart); a 10 s session timeout, so a dead instance's partitions move on sooner;
 * one standby replica, which costs nothing alone and spares a full restore when one of several
 * instances fails.
 */
public final class StreamsSettings {
    static final int STANDBY_REPLICAS = 1;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(3);

    private StreamsSettings() {}

    /**
     * The configured instance id, else one derived from the host name and the absolute state
     * directory: both stay the same when an instance restarts, and two instances running at once
     * never share a state directory on one host (Kafka Streams locks it).
     */
    public static String instanceId(MeteringConfig config) {
        if (config.instanceId() != null) {
            return config.instanceId();
        }
        String dir = config.stateDir().toAbsolutePath().normalize().toString();
        String digest = HexFormat.of().formatHex(sha256(config.applicationId() + "\n" + dir), 0, 6);
        return hostName().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + digest;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "metering";
        }
    }

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
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, STANDBY_REPLICAS);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId(config));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) HEARTBEAT_INTERVAL.toMillis());
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        props.putAll(config.kafka());
        return props;
    }
}
