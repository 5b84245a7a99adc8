package io.streammeter.relay.config;

import static io.streammeter.config.ConfigTypes.BOOLEAN;
import static io.streammeter.config.ConfigTypes.byteSizeAtLeast;
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

import io.streammeter.avro.ApiShape;
import io.streammeter.config.ConfigLoader;
import io.streammeter.config.ConfigLoader.FileFormat;
import io.streammeter.config.ConfigTypes;
import io.streammeter.config.LoadedConfig;
import io.streammeter.config.Redaction;
import io.streammeter.schemas.TopicCatalog;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Everything the relay is configured with. {@link #DEFINITION} states every key
 * (docs/configuration.md is generated from it); {@link #load} reads a file, the environment and
 * flags, {@link #of} a map of settings over the defaults. Checks across keys happen on
 * construction.
 *
 * @param listenHost interface the HTTP server binds
 * @param listenPort TCP port, 0 for any free port
 * @param instances event loops serving requests (server verticle instances)
 * @param upstreamName name recorded in {@code StreamStarted.upstream}; never a URL
 * @param upstreamBaseUrl base URL of the OpenAI-compatible API, path included (such as {@code
 *     https://api.openai.com/v1}); no credentials, query or fragment
 * @param upstreamApiKey key that replaces the client's towards the upstream, or null to pass the
 *     client's through
 * @param anthropicName name recorded in {@code StreamStarted.upstream} for {@code /v1/messages}
 * @param anthropicBaseUrl base URL of the Anthropic-compatible API, path included (such as {@code
 *     https://api.anthropic.com/v1}); same rules as {@code upstreamBaseUrl}
 * @param anthropicApiKey key that replaces the client's towards the Anthropic upstream ({@code
 *     x-api-key}), or null to pass the client's through
 * @param upstreamConnectTimeout time allowed to open a connection to an upstream (both)
 * @param upstreamIdleTimeout time without a byte from the upstream (while the relay is reading)
 *     after which the stream ends as {@code UPSTREAM_TIMEOUT} (both upstreams)
 * @param upstreamMaxConnections connections to each upstream per event loop
 * @param maxBodyBytes largest request body accepted (bytes); larger ones get 413
 * @param keyIdPepper secret of the key id HMAC; at least 16 characters
 * @param disconnectPolicy what happens to the upstream when the client leaves
 * @param drainTimeout how long {@link DisconnectPolicy#DRAIN} keeps reading after the client left
 * @param captureContent whether {@code StreamChunk.raw} carries the event's data
 * @param shutdownGrace how long in-flight streams may run after shutdown begins
 * @param kafkaBootstrapServers Kafka bootstrap servers
 * @param topicPrefix prefix of every topic name
 * @param producerOverrides Kafka producer settings passed through as they are
 * @param tagHeaders operator tags: tag name to the request header it is read from
 * @param instanceId id of this relay process in every event
 * @param maxEventBytes largest event (or non-streamed body) the relay meters (bytes); larger ones
 *     are forwarded but not read
 * @param publishQueueCapacity events waiting in memory for the spool's writer thread; beyond it
 *     chunk events are shed (starts and ends never are)
 * @param spool the durable spool of events Kafka has not acknowledged ({@code spool.*})
 * @param accessLog whether each request ends with one access log line
 * @param readinessRequiresUpstream whether a degraded upstream makes the relay not ready
 * @param otherRoutes what happens to the paths under /v1/ the relay does not meter
 * @param authAllowOpenProxy whether the relay may send an operator key ({@code upstream.api-key},
 *     {@code anthropic.api-key}) for callers it does not authenticate: an open proxy on that key,
 *     refused on construction unless true
 * @param authMode passthrough (callers' keys pass or are replaced) or platform (callers present
 *     registered platform keys)
 * @param authCredentialsFile properties file of named upstream credentials ({@code name=secret})
 *     for platform mode; null for none
 * @param metricsAuth whether {@code /metrics} asks for the token of {@code metrics.token-file}
 * @param metricsTokenFile file holding the {@code /metrics} bearer token; null for none (the relay
 *     then refuses to start with {@code metrics.auth=token})
 * @param priceFile YAML or JSON price table the cost header is priced with (metering's {@code
 *     price-file}); null for the bundled example table
 * @param priceReloadInterval how often the price file is checked for changes; zero never
 * @param costHeaderMaxBodyBytes largest non-streamed 2xx body held back to put its cost in a header
 *     (bytes); larger ones are forwarded without it; 0 never holds and never sets the header
 * @param budgetUrl metering's query API, where platform mode reserves each request's worst case;
 *     null: keys with a budget are refused (503), nothing else is checked
 * @param budgetTokenFile file holding metering's admin token, sent with reservations; null for
 *     metering's {@code auth.mode=none}
 * @param budgetTimeout how long a reservation may take
 * @param budgetWhenUnreachable what happens when metering does not decide a reservation
 * @param budgetMaxOutputTokens output tokens assumed per choice, for the tokens-per-minute limit,
 *     when a request sets no maximum
 */
public record RelayConfig(
        String listenHost,
        int listenPort,
        int instances,
        String upstreamName,
        URI upstreamBaseUrl,
        String upstreamApiKey,
        String anthropicName,
        URI anthropicBaseUrl,
        String anthropicApiKey,
        Duration upstreamConnectTimeout,
        Duration upstreamIdleTimeout,
        int upstreamMaxConnections,
        long maxBodyBytes,
        String keyIdPepper,
        DisconnectPolicy disconnectPolicy,
        Duration drainTimeout,
        boolean captureContent,
        Duration shutdownGrace,
        String kafkaBootstrapServers,
        String topicPrefix,
        Map<String, String> producerOverrides,
        Map<String, String> tagHeaders,
        String instanceId,
        int maxEventBytes,
        int publishQueueCapacity,
        SpoolConfig spool,
        boolean accessLog,
        boolean readinessRequiresUpstream,
        OtherRoutes otherRoutes,
        boolean authAllowOpenProxy,
        AuthMode authMode,
        java.nio.file.Path authCredentialsFile,
        MetricsAuth metricsAuth,
        java.nio.file.Path metricsTokenFile,
        java.nio.file.Path priceFile,
        Duration priceReloadInterval,
        long costHeaderMaxBodyBytes,
        URI budgetUrl,
        java.nio.file.Path budgetTokenFile,
        Duration budgetTimeout,
        BudgetUnreachable budgetWhenUnreachable,
        long budgetMaxOutputTokens) {

    public static final URI DEFAULT_UPSTREAM_BASE_URL = URI.create("https://api.openai.com/v1");
    public static final URI DEFAULT_ANTHROPIC_BASE_URL = URI.create("https://api.anthropic.com/v1");
    public static final int MIN_PEPPER_CHARS = 16;

    /** Keys under this prefix are Kafka producer settings, passed through without the prefix. */
    public static final String PRODUCER_PREFIX = "kafka.producer.";

    /** Producer settings the relay fixes, because billing depends on them. */
    public static final Set<String> FIXED_PRODUCER_SETTINGS =
            Set.of(
                    "key.serializer",
                    "value.serializer",
                    "enable.idempotence",
                    "acks",
                    "transactional.id",
                    "bootstrap.servers");

    private static final String NAME = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final String NAMES = "1-64 of [a-z0-9._-], starting with a letter or digit";

    private static final ConfigTypes.Kind URL =
            new ConfigTypes.Kind(
                    "url",
                    "an http or https URL, path included; no credentials, query or fragment",
                    v -> {
                        try {
                            URI.create(v);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(
                                    "not a URL"); // never echoes a key in it
                        }
                    });
    private static final ConfigTypes.Kind TOPIC_PREFIX =
            new ConfigTypes.Kind(null, "letters, digits, '.', '_' and '-'", TopicCatalog::new);
    private static final ConfigTypes.Kind TAGS =
            new ConfigTypes.Kind(
                    "tag:Header list",
                    "tag:Header pairs such as team:X-Meter-Team,project:X-Meter-Project",
                    RelayConfig::tags);

    /** Every key: type, default, accepted values and meaning (docs/configuration.md). */
    public static final ConfigDef DEFINITION =
            new ConfigDef()
                    .define(
                            "listen.host",
                            STRING,
                            "127.0.0.1",
                            nonBlank(),
                            HIGH,
                            "Interface the HTTP server binds; loopback unless configured otherwise"
                                    + " (0.0.0.0 for every interface).")
                    .define(
                            "listen.port",
                            INT,
                            8080,
                            between(0, 65535),
                            HIGH,
                            "TCP port; 0 for any free port.")
                    .define(
                            "listen.instances",
                            INT,
                            0,
                            between(0, 1024),
                            MEDIUM,
                            "Event loops serving requests (server verticle instances); 0 for one per CPU core.")
                    .define(
                            "upstream.name",
                            STRING,
                            "openai",
                            matching(NAME, NAMES),
                            MEDIUM,
                            "Name recorded in StreamStarted.upstream for /v1/chat/completions; never a URL.")
                    .define(
                            "upstream.base-url",
                            STRING,
                            DEFAULT_UPSTREAM_BASE_URL.toString(),
                            URL,
                            HIGH,
                            "Base URL of the OpenAI-compatible API, path included; a trailing / is dropped.")
                    .define(
                            "upstream.api-key",
                            PASSWORD,
                            null,
                            MEDIUM,
                            "Key that replaces the client's towards the upstream; unset or empty to pass the client's key through.")
                    .define(
                            "anthropic.name",
                            STRING,
                            "anthropic",
                            matching(NAME, NAMES),
                            MEDIUM,
                            "Name recorded in StreamStarted.upstream for /v1/messages; never a URL.")
                    .define(
                            "anthropic.base-url",
                            STRING,
                            DEFAULT_ANTHROPIC_BASE_URL.toString(),
                            URL,
                            HIGH,
                            "Base URL of the Anthropic-compatible API, path included; same rules as upstream.base-url.")
                    .define(
                            "anthropic.api-key",
                            PASSWORD,
                            null,
                            MEDIUM,
                            "Key that replaces the client's x-api-key towards the Anthropic upstream; unset or empty to pass the client's through.")
                    .define(
                            "upstream.connect-timeout",
                            STRING,
                            "10s",
                            durationAtLeast(Duration.ofMillis(1)),
                            MEDIUM,
                            "Time allowed to open a connection to an upstream (both).")
                    .define(
                            "upstream.idle-timeout",
                            STRING,
                            "120s",
                            durationAtLeast(Duration.ofMillis(1)),
                            MEDIUM,
                            "Time without a byte from an upstream after which the stream ends as UPSTREAM_TIMEOUT.")
                    .define(
                            "upstream.max-connections",
                            INT,
                            1000,
                            atLeast(1),
                            LOW,
                            "Connections to each upstream per event loop.")
                    .define(
                            "request.max-body-bytes",
                            STRING,
                            "8MiB",
                            byteSizeAtLeast(1024),
                            MEDIUM,
                            "Largest request body accepted; larger ones get 413.")
                    .define(
                            "key-id.pepper",
                            PASSWORD,
                            null,
                            HIGH,
                            "Secret of the key-id HMAC, at least "
                                    + MIN_PEPPER_CHARS
                                    + " characters. Required.")
                    .define(
                            "routes.other",
                            STRING,
                            "refuse",
                            oneOf(OtherRoutes.class),
                            MEDIUM,
                            "Paths under /v1/ the relay does not meter (models, files, batches, ...): refuse (404 unknown_url) or pass (forwarded to upstream.base-url unmetered, counted in relay.passthrough.requests by path family). /v1/responses/{id} is always forwarded.")
                    .define(
                            "disconnect.policy",
                            STRING,
                            "drain",
                            oneOf(DisconnectPolicy.class),
                            MEDIUM,
                            "What happens to the upstream when the client leaves mid-stream: drain (keep reading, bill exactly) or cancel.")
                    .define(
                            "disconnect.drain-timeout",
                            STRING,
                            "30s",
                            durationAtLeast(Duration.ZERO),
                            MEDIUM,
                            "How long drain keeps reading after the client left.")
                    .define(
                            "capture.content",
                            STRING,
                            "false",
                            BOOLEAN,
                            MEDIUM,
                            "Whether StreamChunk.raw carries the event's data.")
                    .define(
                            "shutdown.grace",
                            STRING,
                            "20s",
                            durationAtLeast(Duration.ZERO),
                            MEDIUM,
                            "How long in-flight streams may run after shutdown begins.")
                    .define(
                            "kafka.bootstrap-servers",
                            STRING,
                            "localhost:9092",
                            nonBlank(),
                            HIGH,
                            "Kafka bootstrap servers.")
                    .define(
                            "kafka.topic-prefix",
                            STRING,
                            TopicCatalog.DEFAULT_PREFIX,
                            TOPIC_PREFIX,
                            MEDIUM,
                            "Prefix of every topic name.")
                    .define(
                            "tags.headers",
                            STRING,
                            "team:X-Meter-Team,project:X-Meter-Project",
                            TAGS,
                            MEDIUM,
                            "Operator tags: tag:Header pairs, comma-separated; empty for none.")
                    .define(
                            "relay.instance-id",
                            STRING,
                            "",
                            LOW,
                            "Id of this relay process in every event; empty for relay-<8 random hex digits>, new per process.")
                    .define(
                            "metering.max-event-bytes",
                            STRING,
                            "4MiB",
                            byteSizeAtLeast(1024),
                            LOW,
                            "Largest event (or non-streamed body) the relay meters; larger ones are forwarded but not read.")
                    .define(
                            "publish.queue-capacity",
                            INT,
                            100_000,
                            atLeast(1),
                            LOW,
                            "Events waiting in memory for the spool's writer thread; beyond it"
                                    + " chunk events are shed (starts and ends never are).")
                    .define(
                            "spool.dir",
                            STRING,
                            "",
                            HIGH,
                            "Directory of the durable spool: events wait here until Kafka"
                                    + " acknowledged them. Required; one relay process per"
                                    + " directory, on a persistent local disk (streammeter local"
                                    + " uses <data-dir>/relay-spool).")
                    .define(
                            "spool.max-bytes",
                            STRING,
                            "1GiB",
                            byteSizeAtLeast(64 * 1024),
                            MEDIUM,
                            "Size of the spool at which spool.full-policy applies; starts and"
                                    + " ends may use 1/8 more.")
                    .define(
                            "spool.segment-bytes",
                            STRING,
                            "16MiB",
                            byteSizeAtLeast(4 * 1024),
                            LOW,
                            "Size at which a spool segment file is closed and the next begun"
                                    + " (at most spool.max-bytes); acknowledged segments are"
                                    + " deleted.")
                    .define(
                            "spool.fsync",
                            STRING,
                            "interval",
                            oneOf(SpoolConfig.Fsync.class),
                            MEDIUM,
                            "When appended events are forced to the device: always (each batch),"
                                    + " interval (every spool.fsync-interval) or never (left to the"
                                    + " OS). Any of them survives kill -9; only always survives a"
                                    + " power loss without a window.")
                    .define(
                            "spool.fsync-interval",
                            STRING,
                            "200ms",
                            durationAtLeast(Duration.ofMillis(1)),
                            LOW,
                            "How often spool.fsync=interval forces the device.")
                    .define(
                            "spool.full-policy",
                            STRING,
                            "shed-chunks",
                            oneOf(SpoolConfig.FullPolicy.class),
                            MEDIUM,
                            "At spool.max-bytes: shed-chunks (chunk events skipped and counted, the"
                                    + " line item says its chunk facts are incomplete, usage still"
                                    + " billed) or reject (new requests get 503, so no unbilled"
                                    + " traffic is served).")
                    .define(
                            "spool.chunk-window",
                            STRING,
                            "100ms",
                            durationAtLeast(Duration.ZERO),
                            MEDIUM,
                            "How long the chunk facts of one stream are gathered into one record"
                                    + " (StreamChunks) before it is spooled; a group is also"
                                    + " closed at spool.chunk-max, at 256 KiB of captured"
                                    + " content, with a chunk that carries usage, always before"
                                    + " the stream's end and when the relay stops. Each chunk"
                                    + " keeps its own sequence number. 0 publishes one record"
                                    + " per chunk. Needs metering that reads StreamEvent v5.")
                    .define(
                            "spool.chunk-max",
                            INT,
                            64,
                            atLeast(1),
                            LOW,
                            "Most chunks in one StreamChunks record (1 publishes one record per"
                                    + " chunk).")
                    .define(
                            "access-log",
                            STRING,
                            "true",
                            BOOLEAN,
                            MEDIUM,
                            "One INFO line per request (logger io.streammeter.relay.access): stream"
                                    + " id, key id, API, model, outcome, upstream status, chunks,"
                                    + " timings; never a key or a body.")
                    .define(
                            "readiness.upstream-required",
                            STRING,
                            "false",
                            BOOLEAN,
                            MEDIUM,
                            "Whether a degraded upstream (its latest answer a failure of its own,"
                                    + " within a minute) makes /readyz answer 503; by default it"
                                    + " reports degraded and stays 200, keeping the relay in"
                                    + " rotation.")
                    .define(
                            "auth.allow-open-proxy",
                            STRING,
                            "false",
                            BOOLEAN,
                            HIGH,
                            "Whether the relay may start with upstream.api-key or anthropic.api-key"
                                    + " set although it authenticates no caller (every bearer"
                                    + " string is accepted): anyone who reaches it then spends the"
                                    + " operator's key. For demos on loopback only; by default"
                                    + " such a relay refuses to start.")
                    .define(
                            "auth.mode",
                            STRING,
                            "passthrough",
                            oneOf(AuthMode.class),
                            HIGH,
                            "passthrough: the caller's key is forwarded (or replaced by"
                                    + " upstream.api-key) and metered, nobody is authenticated;"
                                    + " platform: callers present keys of the <prefix>keys registry"
                                    + " (streammeter keys), unknown or revoked keys get 401, and the"
                                    + " upstream gets the key's named credential, never the"
                                    + " caller's key.")
                    .define(
                            "auth.credentials-file",
                            STRING,
                            "",
                            MEDIUM,
                            "Properties file of named upstream credentials (name=secret) that"
                                    + " platform keys refer to by name; read at start. A key naming"
                                    + " no credential uses upstream.api-key / anthropic.api-key.")
                    .define(
                            "metrics.auth",
                            STRING,
                            "token",
                            oneOf(MetricsAuth.class),
                            HIGH,
                            "token: GET /metrics needs 'Authorization: Bearer <token>' with the"
                                    + " token of metrics.token-file (401 otherwise); none: /metrics"
                                    + " is open to anyone who reaches the port. /healthz and /readyz"
                                    + " are always open.")
                    .define(
                            "metrics.token-file",
                            STRING,
                            "",
                            HIGH,
                            "File holding the /metrics bearer token (one token of at least 16"
                                    + " characters, no whitespace); read once at start, only its"
                                    + " hash is kept. Required with metrics.auth=token.")
                    .define(
                            "price-file",
                            STRING,
                            "",
                            LOW,
                            "YAML or JSON price table the X-Streammeter-Cost-Usd header is priced"
                                    + " with; use metering's price-file. Empty for the bundled"
                                    + " example table.")
                    .define(
                            "price-reload-interval",
                            STRING,
                            "10s",
                            durationAtLeast(Duration.ZERO),
                            LOW,
                            "How often the relay checks price-file for changes and, when it"
                                    + " changed and is valid, prices new responses with it; an"
                                    + " invalid file keeps the table in force, with a warning. 0"
                                    + " checks never.")
                    .define(
                            "cost-header.max-body-bytes",
                            STRING,
                            "4MiB",
                            byteSizeAtLeast(0),
                            LOW,
                            "Largest non-streamed 2xx body the relay holds back to send its cost"
                                    + " in X-Streammeter-Cost-Usd before it; larger bodies are"
                                    + " forwarded as they arrive, without the header. 0 turns the"
                                    + " header off (every body streams through). Streamed (SSE)"
                                    + " responses are never held.")
                    .define(
                            "budget.url",
                            STRING,
                            "",
                            HIGH,
                            "Metering's query API (http://host:port), where a relay in"
                                    + " auth.mode=platform reserves each request's worst case"
                                    + " against its key's and customer's budgets before the"
                                    + " upstream is contacted (metering needs budget.enabled=true)."
                                    + " Empty: requests of keys with a budget are refused (503),"
                                    + " customer budgets are not checked.")
                    .define(
                            "budget.token-file",
                            STRING,
                            "",
                            HIGH,
                            "File holding metering's admin token, sent with every reservation;"
                                    + " empty when metering runs with auth.mode=none.")
                    .define(
                            "budget.timeout",
                            STRING,
                            "2s",
                            durationAtLeast(Duration.ofMillis(1)),
                            LOW,
                            "How long a reservation may take, connecting included; past it"
                                    + " budget.when-unreachable decides.")
                    .define(
                            "budget.when-unreachable",
                            STRING,
                            "refuse",
                            oneOf(BudgetUnreachable.class),
                            MEDIUM,
                            "refuse: a request whose reservation metering does not decide"
                                    + " (unreachable, not ready) gets 503 with Retry-After, so no"
                                    + " budget is overspent; admit: it is served unchecked, logged"
                                    + " and counted.")
                    .define(
                            "budget.max-output-tokens",
                            LONG,
                            32768L,
                            atLeast(1L),
                            LOW,
                            "Output tokens per choice a request without a maximum counts against"
                                    + " its key's tokens_per_minute; use metering's"
                                    + " budget.max-output-tokens.");

    /** Reads {@link #DEFINITION}: properties file, {@code STREAMMETER_RELAY_*}, flags. */
    public static final ConfigLoader LOADER =
            new ConfigLoader(
                    DEFINITION,
                    "STREAMMETER_RELAY_",
                    FileFormat.PROPERTIES,
                    List.of(PRODUCER_PREFIX));

    public RelayConfig {
        require(
                upstreamName != null && upstreamName.matches(NAME),
                "upstream.name must be " + NAMES);
        upstreamBaseUrl = baseUrl(upstreamBaseUrl, "upstream");
        require(
                upstreamApiKey == null || !upstreamApiKey.isBlank(),
                "upstream.api-key must not be blank when set");
        require(
                anthropicName != null && anthropicName.matches(NAME),
                "anthropic.name must be " + NAMES);
        anthropicBaseUrl = baseUrl(anthropicBaseUrl, "anthropic");
        require(
                anthropicApiKey == null || !anthropicApiKey.isBlank(),
                "anthropic.api-key must not be blank when set");
        require(
                keyIdPepper != null && keyIdPepper.length() >= MIN_PEPPER_CHARS,
                "key-id.pepper is required and must be at least "
                        + MIN_PEPPER_CHARS
                        + " characters");
        Objects.requireNonNull(disconnectPolicy, "disconnect.policy");
        new TopicCatalog(topicPrefix); // validates the prefix
        producerOverrides = Map.copyOf(producerOverrides);
        for (String key : producerOverrides.keySet()) {
            require(
                    !FIXED_PRODUCER_SETTINGS.contains(key),
                    PRODUCER_PREFIX + key + " is fixed by the relay and cannot be overridden");
        }
        tagHeaders = Map.copyOf(tagHeaders);
        tagHeaders.forEach(
                (tag, header) -> {
                    require(
                            tag.matches(NAME),
                            "tags.headers: tag names must be " + NAMES + ": " + tag);
                    require(
                            HEADER.matcher(header).matches(),
                            "tags.headers: not an HTTP header name: " + header);
                });
        require(instanceId != null && !instanceId.isBlank(), "relay.instance-id must not be empty");
        require(
                costHeaderMaxBodyBytes >= 0 && costHeaderMaxBodyBytes <= 1L << 30,
                "cost-header.max-body-bytes must be between 0 and 1GiB");
        Objects.requireNonNull(priceReloadInterval, "price-reload-interval");
        String operatorKey =
                upstreamApiKey != null
                        ? "upstream.api-key"
                        : anthropicApiKey != null ? "anthropic.api-key" : null;
        Objects.requireNonNull(authMode, "auth.mode");
        require(
                operatorKey == null || authAllowOpenProxy || authMode == AuthMode.PLATFORM,
                operatorKey
                        + " is set but the relay authenticates no caller: anyone who reaches it"
                        + " would spend that key; set auth.allow-open-proxy=true to accept this"
                        + " (demos on loopback only), or authenticate callers with"
                        + " auth.mode=platform");
        require(
                authMode != AuthMode.PLATFORM
                        || authCredentialsFile != null
                        || upstreamApiKey != null
                        || anthropicApiKey != null,
                "auth.mode=platform needs upstream credentials: set auth.credentials-file or"
                        + " upstream.api-key (a caller's key never goes upstream)");
        Objects.requireNonNull(metricsAuth, "metrics.auth");
        require(
                spool != null,
                "spool.dir is required: a directory for events Kafka has not acknowledged");
    }

    /**
     * Loads defaults, then the file ({@code --config=PATH} or {@code STREAMMETER_RELAY_CONFIG}),
     * then the environment, then flags.
     *
     * @throws IllegalArgumentException one line naming the key, its source and accepted values
     */
    public static RelayConfig load(String[] args, Map<String, String> env) {
        return LOADER.load(args, env).build(RelayConfig::from);
    }

    /** The defaults overridden by {@code settings}, keys and values as in the file. */
    public static RelayConfig of(Map<String, String> settings) {
        return LOADER.of(settings).build(RelayConfig::from);
    }

    private static RelayConfig from(LoadedConfig c) {
        int instances = c.getInt("listen.instances");
        String instanceId = c.optional("relay.instance-id");
        return new RelayConfig(
                c.getString("listen.host"),
                c.getInt("listen.port"),
                instances == 0
                        ? Math.max(1, Runtime.getRuntime().availableProcessors())
                        : instances,
                c.getString("upstream.name"),
                URI.create(c.getString("upstream.base-url")),
                c.optional("upstream.api-key"),
                c.getString("anthropic.name"),
                URI.create(c.getString("anthropic.base-url")),
                c.optional("anthropic.api-key"),
                c.duration("upstream.connect-timeout"),
                c.duration("upstream.idle-timeout"),
                c.getInt("upstream.max-connections"),
                c.byteSize("request.max-body-bytes"),
                c.optional("key-id.pepper"),
                c.enumValue("disconnect.policy", DisconnectPolicy.class),
                c.duration("disconnect.drain-timeout"),
                c.bool("capture.content"),
                c.duration("shutdown.grace"),
                c.getString("kafka.bootstrap-servers"),
                c.getString("kafka.topic-prefix"),
                c.passThrough(PRODUCER_PREFIX),
                tags(c.getString("tags.headers")),
                instanceId == null ? newInstanceId() : instanceId,
                Math.toIntExact(c.byteSize("metering.max-event-bytes")),
                c.getInt("publish.queue-capacity"),
                spool(c),
                c.bool("access-log"),
                c.bool("readiness.upstream-required"),
                c.enumValue("routes.other", OtherRoutes.class),
                c.bool("auth.allow-open-proxy"),
                c.enumValue("auth.mode", AuthMode.class),
                c.optional("auth.credentials-file") == null
                        ? null
                        : java.nio.file.Path.of(c.getString("auth.credentials-file")),
                c.enumValue("metrics.auth", MetricsAuth.class),
                c.optional("metrics.token-file") == null
                        ? null
                        : java.nio.file.Path.of(c.getString("metrics.token-file")),
                c.optional("price-file") == null
                        ? null
                        : java.nio.file.Path.of(c.getString("price-file")),
                c.duration("price-reload-interval"),
                c.byteSize("cost-header.max-body-bytes"),
                budgetUrl(c.optional("budget.url")),
                c.optional("budget.token-file") == null
                        ? null
                        : java.nio.file.Path.of(c.getString("budget.token-file")),
                c.duration("budget.timeout"),
                c.enumValue("budget.when-unreachable", BudgetUnreachable.class),
                c.getLong("budget.max-output-tokens"));
    }

    private static URI budgetUrl(String url) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("budget.url must be an http or https URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("budget.url must be an http or https URL: " + url);
        }
        return uri;
    }

    private static SpoolConfig spool(LoadedConfig c) {
        String dir = c.optional("spool.dir");
        if (dir == null) {
            return null; // the constructor says it is required, after the keys before it
        }
        long maxBytes = c.byteSize("spool.max-bytes");
        return new SpoolConfig(
                java.nio.file.Path.of(dir),
                maxBytes,
                Math.min(c.byteSize("spool.segment-bytes"), maxBytes),
                c.enumValue("spool.fsync", SpoolConfig.Fsync.class),
                c.duration("spool.fsync-interval"),
                c.enumValue("spool.full-policy", SpoolConfig.FullPolicy.class),
                c.duration("spool.chunk-window"),
                c.getInt("spool.chunk-max"));
    }

    /**
     * The upstream that serves an API shape: {@code upstream.*} for OpenAI chat completions, {@code
     * anthropic.*} for Anthropic messages.
     */
    public UpstreamEndpoint upstreamFor(ApiShape shape) {
        return switch (shape) {
            case OPENAI_CHAT_COMPLETIONS, OPENAI_RESPONSES, OPENAI_EMBEDDINGS, OPENAI_COMPLETIONS ->
                    new UpstreamEndpoint(upstreamName, upstreamBaseUrl, upstreamApiKey);
            case ANTHROPIC_MESSAGES ->
                    new UpstreamEndpoint(anthropicName, anthropicBaseUrl, anthropicApiKey);
            case UNKNOWN -> throw new IllegalArgumentException("no upstream serves " + shape);
        };
    }

    /** Secrets are never printed: this is what a log line or an exception shows. */
    @Override
    public String toString() {
        return Redaction.toString(this, DEFINITION);
    }

    /** Validates and normalises {@code <prefix>.base-url}. */
    private static URI baseUrl(URI url, String prefix) {
        String key = prefix + ".base-url";
        Objects.requireNonNull(url, key);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        require(
                scheme.equals("http") || scheme.equals("https"),
                key + " must be an http or https URL");
        require(url.getHost() != null, key + " must name a host");
        require(
                url.getRawUserInfo() == null,
                key + " must not carry credentials; use " + prefix + ".api-key");
        require(
                url.getRawQuery() == null && url.getRawFragment() == null,
                key + " must not have a query or fragment");
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code team:X-Meter-Team,project:X-Meter-Project}; empty for no tags. */
    private static Map<String, String> tags(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException(
                        "tags.headers: expected tag:Header pairs, got " + pair);
            }
            tags.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return tags;
    }

    /** Default instance id: unique per process, so events from restarts stay apart. */
    static String newInstanceId() {
        return "relay-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
