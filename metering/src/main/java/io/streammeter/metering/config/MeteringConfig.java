package io.streammeter.metering.config;

import static io.streammeter.config.ConfigTypes.BOOLEAN;
import static io.streammeter.config.ConfigTypes.durationAtLeast;
import static io.streammeter.config.ConfigTypes.matching;
import static io.streammeter.config.ConfigTypes.nonBlank;
import static io.streammeter.config.ConfigTypes.oneOf;
import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.streammeter.config.ConfigLoader;
import io.streammeter.config.ConfigLoader.FileFormat;
import io.streammeter.config.LoadedConfig;
import io.streammeter.config.RecordSettings;
import io.streammeter.config.Redaction;
import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Everything the metering process is configured with. Every key has a default; {@link #DEFINITION}
 * states them (docs/configuration.md is generated from it), {@link #load} reads a YAML file, then
 * the environment, then flags. Checks across keys happen on construction.
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
 * @param priceReloadInterval how often the price file is checked for changes; zero never
 * @param queryHost interface the query API binds to
 * @param queryPort port of the query API; 0 for any free port
 * @param applicationServer host[:port] other instances reach this one's query API at; null for a
 *     single instance. Without a port, the bound query port is used.
 * @param deserializationErrors what to do with an input record that cannot be read
 * @param authMode whether the query API asks callers for a token
 * @param authAdminTokenFile file holding the admin token of the query API; null when none is
 *     configured
 * @param queryPeerTimeout how long a request to another instance's query API may take
 * @param authKeyIdPepper the relays' key-id pepper, so platform keys can read their own spend;
 *     null: only the admin token reads
 * @param instanceId this instance's stable name in the group (Kafka static membership), so a
 *     restarted instance takes its partitions back at once instead of after a rebalance; null
 *     derives one from the host name and the state directory, which stay the same across restarts
 * @param budgetEnabled whether this instance follows budgets and answers reservations
 * @param budgetHoldTimeout how long a reservation's worst case stays held when no line item settles
 *     it
 * @param budgetMaxOutputTokens output tokens assumed per choice when a request sets no maximum
 * @param budgetHoldInFlight false only to prove that budgets depend on holding in-flight worst
 *     cases
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
        Duration priceReloadInterval,
        String queryHost,
        int queryPort,
        String applicationServer,
        DeserializationErrors deserializationErrors,
        AuthMode authMode,
        Path authAdminTokenFile,
        Duration queryPeerTimeout,
        String authKeyIdPepper,
        String instanceId,
        boolean budgetEnabled,
        Duration budgetHoldTimeout,
        long budgetMaxOutputTokens,
        boolean budgetHoldInFlight,
        Map<String, String> kafka) {

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

    /** Whether the query API authenticates its callers. */
    public enum AuthMode {
        /**
         * Every route but /healthz and /readyz needs the admin token ({@code
         * auth.admin-token-file}).
         */
        TOKEN,
        /** Anyone who reaches the port reads everything: an explicit choice, never a default. */
        NONE
    }

    private static final Duration POSITIVE = Duration.ofMillis(1);

    /** Every key: type, default, accepted values and meaning (docs/configuration.md). */
    public static final ConfigDef DEFINITION =
            new ConfigDef()
                    .define(
                            "bootstrap-servers",
                            STRING,
                            "localhost:9092",
                            nonBlank(),
                            HIGH,
                            "Kafka bootstrap servers.")
                    .define(
                            "application-id",
                            STRING,
                            "streammeter-metering",
                            nonBlank(),
                            HIGH,
                            "Kafka Streams application id: consumer group, internal topic and state prefix.")
                    .define(
                            "topic-prefix",
                            STRING,
                            TopicCatalog.DEFAULT_PREFIX,
                            matching("[a-zA-Z0-9._-]*", "letters, digits, '.', '_' and '-'"),
                            MEDIUM,
                            "Prefix of the catalog's topics.")
                    .define(
                            "processing-guarantee",
                            STRING,
                            "exactly_once_v2",
                            oneOf(ProcessingGuarantee.class),
                            MEDIUM,
                            "Kafka Streams' processing guarantee; at_least_once is for benchmarks only (may count twice).")
                    .define(
                            "state-dir",
                            STRING,
                            "state/metering",
                            nonBlank(),
                            MEDIUM,
                            "Where Kafka Streams keeps its state stores; one per instance, off tmpfs.")
                    .define(
                            "orphan-timeout",
                            STRING,
                            "10m",
                            durationAtLeast(POSITIVE),
                            MEDIUM,
                            "A stream with no event for this long and no end is orphaned.")
                    .define(
                            "gap-timeout",
                            STRING,
                            "2m",
                            durationAtLeast(POSITIVE),
                            MEDIUM,
                            "A stream whose end arrived waits this long for missing earlier events.")
                    .define(
                            "dedup-retention",
                            STRING,
                            "7d",
                            durationAtLeast(POSITIVE),
                            MEDIUM,
                            "How long a closed stream's marker is kept to recognise duplicates; at least orphan-timeout.")
                    .define(
                            "spend-grace",
                            STRING,
                            "1h",
                            durationAtLeast(Duration.ZERO),
                            MEDIUM,
                            "How late a line item may arrive for its hour and still be added.")
                    .define(
                            "spend-retention",
                            STRING,
                            "35d",
                            durationAtLeast(POSITIVE),
                            MEDIUM,
                            "How long hourly spend stays queryable; at least one hour plus spend-grace.")
                    .define(
                            "alert-retention",
                            STRING,
                            "7d",
                            durationAtLeast(POSITIVE),
                            LOW,
                            "How long missing-usage alerts stay queryable.")
                    .define(
                            "rate-window",
                            STRING,
                            "5m",
                            durationAtLeast(POSITIVE),
                            LOW,
                            "Width of the missing-usage rate windows.")
                    .define(
                            "rate-grace",
                            STRING,
                            "1m",
                            durationAtLeast(Duration.ZERO),
                            LOW,
                            "How late a line item may arrive for its rate window.")
                    .define(
                            "rate-threshold-permille",
                            INT,
                            50,
                            between(0, 999),
                            LOW,
                            "Share of a window's streams missing usage (per mille) above which to alert.")
                    .define(
                            "rate-min-streams",
                            INT,
                            20,
                            atLeast(1),
                            LOW,
                            "Fewest streams in a window for it to alert.")
                    .define(
                            "price-file",
                            STRING,
                            "",
                            LOW,
                            "YAML or JSON price table; empty for the bundled example table.")
                    .define(
                            "price-reload-interval",
                            STRING,
                            "10s",
                            durationAtLeast(Duration.ZERO),
                            LOW,
                            "How often metering checks price-file for changes and, when it"
                                    + " changed and is valid, prices new line items with it (each"
                                    + " records the entry it used); an invalid file keeps the"
                                    + " table in force, with a warning. 0 checks never.")
                    .define(
                            "query-host",
                            STRING,
                            "127.0.0.1",
                            nonBlank(),
                            MEDIUM,
                            "Interface the query API binds; loopback unless configured otherwise.")
                    .define(
                            "query-port",
                            INT,
                            8081,
                            between(0, 65535),
                            MEDIUM,
                            "Port of the query API; 0 for any free port.")
                    .define(
                            "application-server",
                            STRING,
                            "",
                            matching("([^:\\s]+(:\\d{1,5})?)?", "host or host:port, or empty"),
                            MEDIUM,
                            "How other instances reach this one's query API; required with more than one"
                                    + " instance. Without a port, the bound query port is used.")
                    .define(
                            "deserialization-errors",
                            STRING,
                            "skip",
                            oneOf(DeserializationErrors.class),
                            MEDIUM,
                            "What to do with an input record that cannot be read: skip (log and count) or fail.")
                    .define(
                            "auth.mode",
                            STRING,
                            "token",
                            oneOf(AuthMode.class),
                            HIGH,
                            "Whether the query API authenticates callers: token (every route but /healthz"
                                    + " and /readyz needs the admin token of auth.admin-token-file;"
                                    + " metering refuses to start without it) or none (anyone who"
                                    + " reaches the port reads every key's spend).")
                    .define(
                            "auth.admin-token-file",
                            STRING,
                            "",
                            HIGH,
                            "File holding the query API's admin token (at least 16 characters,"
                                    + " surrounding whitespace ignored); every instance of one"
                                    + " application needs the same token, it also authenticates"
                                    + " their forwarded requests.")
                    .define(
                            "query-peer-timeout",
                            STRING,
                            "5s",
                            durationAtLeast(POSITIVE),
                            LOW,
                            "How long a query forwarded to another instance may take, connecting included.")
                    .define(
                            "auth.key-id-pepper",
                            PASSWORD,
                            null,
                            MEDIUM,
                            "The relays' key-id pepper: when set, an active platform key of the"
                                    + " <prefix>keys registry may read its own spend (GET"
                                    + " /v1/spend?key_id=<its key id>) and its own line items (GET"
                                    + " /v1/keys/<its key id>/line-items, GET"
                                    + " /v1/line-items/<stream id> of its streams) and gets 403"
                                    + " elsewhere;"
                                    + " unset, only the admin token reads.")
                    .define(
                            "instance-id",
                            STRING,
                            "",
                            matching("[A-Za-z0-9._-]{0,200}", "up to 200 of [A-Za-z0-9._-]"),
                            MEDIUM,
                            "This instance's stable name in the group (Kafka static membership:"
                                    + " a restarted instance takes its partitions back at once);"
                                    + " must differ per instance. Empty derives one from the host"
                                    + " name, the application id and the state directory.")
                    .define(
                            "budget.enabled",
                            STRING,
                            "false",
                            BOOLEAN,
                            MEDIUM,
                            "Whether metering keeps the platform keys' budgets and answers the"
                                    + " relays' reservations (POST /v1/budget/reservations) and GET"
                                    + " /v1/budget: needed by relays in auth.mode=platform that"
                                    + " enforce budgets. Reads <prefix>keys, <prefix>customer-budgets"
                                    + " and <prefix>stream-summaries from their beginning at start.")
                    .define(
                            "budget.hold-timeout",
                            STRING,
                            "15m",
                            durationAtLeast(POSITIVE),
                            LOW,
                            "How long an admitted request's worst case stays held against its key's"
                                    + " and customer's budgets when no line item settles it (a"
                                    + " relay that died mid-stream); the line item settles it"
                                    + " otherwise.")
                    .define(
                            "budget.max-output-tokens",
                            LONG,
                            32768L,
                            atLeast(1L),
                            LOW,
                            "Output tokens a reservation assumes per choice when the request sets"
                                    + " no max_tokens / max_completion_tokens / max_output_tokens;"
                                    + " set it to the largest output of the models you serve.")
                    .define(
                            "budget.hold-in-flight",
                            STRING,
                            "true",
                            BOOLEAN,
                            LOW,
                            "false admits against billed spend alone, ignoring streams in flight:"
                                    + " only to prove that budgets depend on it (BudgetConcurrencyIT);"
                                    + " never in production.");

    /** Keys under this prefix are Kafka Streams and client settings, passed through. */
    public static final String KAFKA_PREFIX = "kafka.";

    /** Reads {@link #DEFINITION}: YAML file, {@code STREAMMETER_METERING_*}, flags. */
    public static final ConfigLoader LOADER =
            new ConfigLoader(
                    DEFINITION, "STREAMMETER_METERING_", FileFormat.YAML, List.of(KAFKA_PREFIX));

    public MeteringConfig {
        new TopicCatalog(topicPrefix); // validates the prefix
        if (spendRetention.compareTo(SPEND_WINDOW.plus(spendGrace)) < 0) {
            throw new IllegalArgumentException(
                    "spend-retention must be at least one hour plus spend-grace, got "
                            + spendRetention);
        }
        if (dedupRetention.compareTo(orphanTimeout) < 0) {
            throw new IllegalArgumentException(
                    "dedup-retention must be at least orphan-timeout, got " + dedupRetention);
        }
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
    }

    /**
     * Loads defaults, then the YAML file ({@code --config=PATH} or {@code
     * STREAMMETER_METERING_CONFIG}), then the environment, then flags.
     *
     * @throws IllegalArgumentException one line naming the key, its source and accepted values
     */
    public static MeteringConfig load(List<String> args, Map<String, String> env) {
        return LOADER.load(args, env).build(MeteringConfig::from);
    }

    /** The defaults overridden by {@code settings}, keys as in the file ({@code kafka.*} too). */
    public static MeteringConfig of(Map<String, String> settings) {
        return LOADER.of(settings).build(MeteringConfig::from);
    }

    /** All defaults. */
    public static MeteringConfig defaults() {
        return of(Map.of());
    }

    private static MeteringConfig from(LoadedConfig c) {
        return new MeteringConfig(
                c.getString("bootstrap-servers"),
                c.getString("application-id"),
                c.getString("topic-prefix"),
                c.enumValue("processing-guarantee", ProcessingGuarantee.class),
                Path.of(c.getString("state-dir")),
                c.duration("orphan-timeout"),
                c.duration("gap-timeout"),
                c.duration("dedup-retention"),
                c.duration("spend-grace"),
                c.duration("spend-retention"),
                c.duration("alert-retention"),
                c.duration("rate-window"),
                c.duration("rate-grace"),
                c.getInt("rate-threshold-permille"),
                c.getInt("rate-min-streams"),
                c.optional("price-file") == null ? null : Path.of(c.getString("price-file")),
                c.duration("price-reload-interval"),
                c.getString("query-host"),
                c.getInt("query-port"),
                c.optional("application-server"),
                c.enumValue("deserialization-errors", DeserializationErrors.class),
                c.enumValue("auth.mode", AuthMode.class),
                c.optional("auth.admin-token-file") == null
                        ? null
                        : Path.of(c.getString("auth.admin-token-file")),
                c.duration("query-peer-timeout"),
                c.optional("auth.key-id-pepper"),
                c.optional("instance-id"),
                c.bool("budget.enabled"),
                c.duration("budget.hold-timeout"),
                c.getLong("budget.max-output-tokens"),
                c.bool("budget.hold-in-flight"),
                c.passThrough(KAFKA_PREFIX));
    }

    public TopicCatalog catalog() {
        return new TopicCatalog(topicPrefix);
    }

    /** This config with one setting changed, by its key as in the file. */
    public MeteringConfig with(String key, String value) {
        Map<String, String> settings = settings();
        settings.put(key, value);
        return of(settings);
    }

    /** This config with Kafka settings added (later ones win). */
    public MeteringConfig withKafka(Map<String, String> more) {
        Map<String, String> settings = settings();
        more.forEach((k, v) -> settings.put(KAFKA_PREFIX + k, v));
        return of(settings);
    }

    /** This config as settings: each key's value as {@link #of} reads it back. */
    private Map<String, String> settings() {
        Map<String, String> settings = RecordSettings.of(this, DEFINITION);
        kafka.forEach((k, v) -> settings.put(KAFKA_PREFIX + k, v));
        return settings;
    }

    @Override
    public String toString() {
        return Redaction.toString(this, DEFINITION);
    }
}
