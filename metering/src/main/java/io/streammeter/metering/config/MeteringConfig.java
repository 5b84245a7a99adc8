package io.streammeter.metering.config;

import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the metering process is configured with. Every field has a default; {@link
 * MeteringConfigLoader} reads a file, then the environment, then flags. Keys are listed in {@code
 * metering/config/metering.example.yaml}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id (group, internal topic and state prefix)
 * @param topicPrefix prefix of the catalog's topics
 * @param processingGuarantee exactly-once (the default) or at-least-once (benchmarks only)
 * @param stateDir where Kafka Streams keeps its state stores
 * @param orphanTimeout a stream with no event for this long and no end is orphaned
 * @param gapTimeout a stream whose end arrived waits this long for missing earlier events
 * @param dedupRetention how long a closed stream's marker is kept to recognise duplicates
 * @param spendGrace how late a line item may arrive for its hour and still be added
 * @param spendRetention how long hourly spend stays queryable in the state store
 * @param alertRetention how long missing-usage alerts stay queryable in the state store
 * @param rateWindow width of the missing-usage rate windows
 * @param rateGrace how late a line item may arrive for its rate window
 * @param rateThresholdPermille share of streams missing usage (per mille) above which to alert
 * @param rateMinStreams fewest streams in a window for it to alert
 * @param priceFile YAML or JSON price table; null for the bundled example table
 * @param queryHost interface the query API binds to
 * @param queryPort port of the query API; 0 for any free port
 * @param applicationServer host[:port] other instances reach this one's query API at; null for a
 *     single instance. Without a port, the bound query port is used.
 * @param deserializationErrors what to do with an input record that cannot be read
 * @param instanceId this instance's stable name in the group (Kafka static membership), so a
 *     restarted instance takes its partitions back at once instead of after a rebalance; null
 *     derives one from the host name and the state directory, which stay the same across restarts
 * @param kafka Kafka Streams and client settings passed through as they are
 */
public record MeteringConfig(
        String bootstrapServers,
        String applicationId,
        String topicPrefix,
        ProcessingGuarantee processingGuarantee,
        Path stateDir,
        Duration orphanTimeout,
        Duration gapTimeout,
        Duration dedupRetention,
        Duration spendGrace,
        Duration spendRetention,
        Duration alertRetention,
        Duration rateWindow,
        Duration rateGrace,
        int rateThresholdPermille,
        int rateMinStreams,
        Path priceFile,
        String queryHost,
        int queryPort,
        String applicationServer,
        DeserializationErrors deserializationErrors,
        String instanceId,
        Map<String, String> kafka) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_APPLICATION_ID = "streammeter-metering";
    public static final String DEFAULT_TOPIC_PREFIX = TopicCatalog.DEFAULT_PREFIX;
    public static final Path DEFAULT_STATE_DIR = Path.of("state", "metering");
    public static final Duration DEFAULT_ORPHAN_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_GAP_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_SPEND_GRACE = Duration.ofHours(1);
    public static final Duration DEFAULT_SPEND_RETENTION = Duration.ofDays(35);
    public static final Duration DEFAULT_ALERT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_RATE_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RATE_GRACE = Duration.ofMinutes(1);
    public static final int DEFAULT_RATE_THRESHOLD_PERMILLE = 50;
    public static final int DEFAULT_RATE_MIN_STREAMS = 20;
    public static final String DEFAULT_QUERY_HOST = "0.0.0.0";
    public static final int DEFAULT_QUERY_PORT = 8081;

    /** The width of a spend window: fixed, the topic and the export are hourly. */
    public static final Duration SPEND_WINDOW = Duration.ofHours(1);

    /** Kafka Streams' processing guarantee. */
    public enum ProcessingGuarantee {
        EXACTLY_ONCE_V2("exactly_once_v2"),
        AT_LEAST_ONCE("at_least_once");

        private final String config;

        ProcessingGuarantee(String config) {
            this.config = config;
        }

        public String config() {
            return config;
        }
    }

    /** What happens to an input record that cannot be deserialized. */
    public enum DeserializationErrors {
        /** Log it (topic, partition, offset; never the payload), count it, and go on. */
        SKIP,
        /** Stop the application: nothing is read past it until an operator acts. */
        FAIL
    }

    public MeteringConfig {
        requireText("bootstrap-servers", bootstrapServers);
        requireText("application-id", applicationId);
        Objects.requireNonNull(topicPrefix, "topic-prefix");
        new TopicCatalog(topicPrefix); // validates the prefix
        Objects.requireNonNull(processingGuarantee, "processing-guarantee");
        Objects.requireNonNull(stateDir, "state-dir");
        requirePositive("orphan-timeout", orphanTimeout);
        requirePositive("gap-timeout", gapTimeout);
        requirePositive("dedup-retention", dedupRetention);
        requireNotNegative("spend-grace", spendGrace);
        requirePositive("spend-retention", spendRetention);
        requirePositive("alert-retention", alertRetention);
        requirePositive("rate-window", rateWindow);
        requireNotNegative("rate-grace", rateGrace);
        if (spendRetention.compareTo(SPEND_WINDOW.plus(spendGrace)) < 0) {
            throw new IllegalArgumentException(
                    "spend-retention must be at least one hour plus spend-grace, got "
                            + spendRetention);
        }
        if (dedupRetention.compareTo(orphanTimeout) < 0) {
            throw new IllegalArgumentException(
                    "dedup-retention must be at least orphan-timeout, got " + dedupRetention);
        }
        if (rateThresholdPermille < 0 || rateThresholdPermille >= 1000) {
            throw new IllegalArgumentException(
                    "rate-threshold-permille must be in 0..999, got " + rateThresholdPermille);
        }
        if (rateMinStreams < 1) {
            throw new IllegalArgumentException(
                    "rate-min-streams must be at least 1, got " + rateMinStreams);
        }
        requireText("query-host", queryHost);
        if (queryPort < 0 || queryPort > 65535) {
            throw new IllegalArgumentException("query-port must be in 0..65535, got " + queryPort);
        }
        if (applicationServer != null && !applicationServer.matches("[^:\\s]+(:\\d{1,5})?")) {
            throw new IllegalArgumentException(
                    "application-server must be host or host:port, got " + applicationServer);
        }
        Objects.requireNonNull(deserializationErrors, "deserialization-errors");
        if (instanceId != null && !instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException(
                    "instance-id must be 1-200 letters, digits, '.', '_' or '-', got "
                            + instanceId);
        }
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
    }

    /** All defaults. */
    public static MeteringConfig defaults() {
        return new MeteringConfig(
                DEFAULT_BOOTSTRAP_SERVERS,
                DEFAULT_APPLICATION_ID,
                DEFAULT_TOPIC_PREFIX,
                ProcessingGuarantee.EXACTLY_ONCE_V2,
                DEFAULT_STATE_DIR,
                DEFAULT_ORPHAN_TIMEOUT,
                DEFAULT_GAP_TIMEOUT,
                DEFAULT_DEDUP_RETENTION,
                DEFAULT_SPEND_GRACE,
                DEFAULT_SPEND_RETENTION,
                DEFAULT_ALERT_RETENTION,
                DEFAULT_RATE_WINDOW,
                DEFAULT_RATE_GRACE,
                DEFAULT_RATE_THRESHOLD_PERMILLE,
                DEFAULT_RATE_MIN_STREAMS,
                null,
                DEFAULT_QUERY_HOST,
                DEFAULT_QUERY_PORT,
                null,
                DeserializationErrors.SKIP,
                null,
                Map.of());
    }

    public TopicCatalog catalog() {
        return new TopicCatalog(topicPrefix);
    }

    /** This config with one setting changed, by its key; see {@link MeteringConfigLoader}. */
    public MeteringConfig with(String key, String value) {
        return MeteringConfigLoader.apply(this, Map.of(key, value), "override");
    }

    /** This config with Kafka settings added (later ones win). */
    public MeteringConfig withKafka(Map<String, String> more) {
        Map<String, String> merged = new TreeMap<>(kafka);
        merged.putAll(more);
        return new MeteringConfig(
                bootstrapServers,
                applicationId,
                topicPrefix,
                processingGuarantee,
                stateDir,
                orphanTimeout,
                gapTimeout,
                dedupRetention,
                spendGrace,
                spendRetention,
                alertRetention,
                rateWindow,
                rateGrace,
                rateThresholdPermille,
                rateMinStreams,
                priceFile,
                queryHost,
                queryPort,
                applicationServer,
                deserializationErrors,
                instanceId,
                merged);
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + value);
        }
    }

    private static void requireNotNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, got " + value);
        }
    }
}
