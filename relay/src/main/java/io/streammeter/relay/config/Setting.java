package io.streammeter.relay.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration key, in one table. The same key is read from the file ({@code
 * upstream.base-url=...}), the environment ({@code STREAMMETER_RELAY_UPSTREAM_BASE_URL}) and the
 * flags ({@code --upstream.base-url=...}); {@code relay.example.properties} explains each.
 */
public enum Setting {
    LISTEN_HOST("listen.host", (b, v) -> b.listenHost(v)),
    LISTEN_PORT("listen.port", (b, v) -> b.listenPort(integer(v))),
    LISTEN_INSTANCES("listen.instances", (b, v) -> b.instances(integer(v))),
    UPSTREAM_NAME("upstream.name", (b, v) -> b.upstreamName(v)),
    UPSTREAM_BASE_URL("upstream.base-url", (b, v) -> b.upstreamBaseUrl(URI.create(v))),
    UPSTREAM_API_KEY("upstream.api-key", (b, v) -> b.upstreamApiKey(v.isEmpty() ? null : v)),
    ANTHROPIC_NAME("anthropic.name", (b, v) -> b.anthropicName(v)),
    ANTHROPIC_BASE_URL("anthropic.base-url", (b, v) -> b.anthropicBaseUrl(URI.create(v))),
    ANTHROPIC_API_KEY("anthropic.api-key", (b, v) -> b.anthropicApiKey(v.isEmpty() ? null : v)),
    UPSTREAM_CONNECT_TIMEOUT(
            "upstream.connect-timeout", (b, v) -> b.upstreamConnectTimeout(duration(v))),
    UPSTREAM_IDLE_TIMEOUT("upstream.idle-timeout", (b, v) -> b.upstreamIdleTimeout(duration(v))),
    UPSTREAM_MAX_CONNECTIONS(
            "upstream.max-connections", (b, v) -> b.upstreamMaxConnections(integer(v))),
    REQUEST_MAX_BODY_BYTES("request.max-body-bytes", (b, v) -> b.maxBodyBytes(bytes(v))),
    KEY_ID_PEPPER("key-id.pepper", (b, v) -> b.keyIdPepper(v)),
    DISCONNECT_POLICY("disconnect.policy", (b, v) -> b.disconnectPolicy(policy(v))),
    DISCONNECT_DRAIN_TIMEOUT("disconnect.drain-timeout", (b, v) -> b.drainTimeout(duration(v))),
    CAPTURE_CONTENT("capture.content", (b, v) -> b.captureContent(bool(v))),
    SHUTDOWN_GRACE("shutdown.grace", (b, v) -> b.shutdownGrace(duration(v))),
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap-servers", (b, v) -> b.kafkaBootstrapServers(v)),
    KAFKA_TOPIC_PREFIX("kafka.topic-prefix", (b, v) -> b.topicPrefix(v)),
    TAGS_HEADERS("tags.headers", (b, v) -> b.tagHeaders(tags(v))),
    RELAY_INSTANCE_ID(
            "relay.instance-id",
            (b, v) -> b.instanceId(v.isEmpty() ? RelayConfig.newInstanceId() : v)),
    METERING_MAX_EVENT_BYTES("metering.max-event-bytes", (b, v) -> b.maxEventBytes((int) bytes(v))),
    PUBLISH_QUEUE_CAPACITY("publish.queue-capacity", (b, v) -> b.publishQueueCapacity(integer(v))),
    SPOOL_DIR("spool.dir", (b, v) -> b.spoolDir(v.isEmpty() ? null : java.nio.file.Path.of(v))),
    SPOOL_MAX_BYTES("spool.max-bytes", (b, v) -> b.spoolMaxBytes(bytes(v))),
    SPOOL_SEGMENT_BYTES("spool.segment-bytes", (b, v) -> b.spoolSegmentBytes(bytes(v))),
    SPOOL_FSYNC("spool.fsync", (b, v) -> b.spoolFsync(SpoolConfig.fsync(v))),
    SPOOL_FSYNC_INTERVAL("spool.fsync-interval", (b, v) -> b.spoolFsyncInterval(duration(v))),
    SPOOL_FULL_POLICY("spool.full-policy", (b, v) -> b.spoolFullPolicy(SpoolConfig.fullPolicy(v)));

    /** Keys under this prefix are Kafka producer settings, passed through without the prefix. */
    public static final String PRODUCER_PREFIX = "kafka.producer.";

    /** Prefix of every environment variable the relay reads. */
    public static final String ENV_PREFIX = "STREAMMETER_RELAY_";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib)");

    private final String key;
    private final BiConsumer<RelayConfigBuilder, String> apply;

    Setting(String key, BiConsumer<RelayConfigBuilder, String> apply) {
        this.key = key;
        this.apply = apply;
    }

    /** The key in files and flags. */
    public String key() {
        return key;
    }

    /** The environment variable: prefix, then the key in upper case with '.' and '-' as '_'. */
    public String env() {
        return envName(key);
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    void apply(RelayConfigBuilder builder, String value) {
        try {
            apply.accept(builder, value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: " + v);
        }
    }

    static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("not true or false: " + v);
        };
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, or ISO-8601 {@code PT5S}. */
    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (such as 500ms, 30s, 2m): " + v);
        }
    }

    /** Bytes: {@code 1048576}, {@code 512KiB}, {@code 8MiB}, {@code 1GiB}. */
    static long bytes(String v) {
        Matcher m = SIZE.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (such as 1048576, 512KiB, 8MiB): " + v);
        }
        long n = Long.parseLong(m.group(1));
        long unit =
                switch (m.group(2)) {
                    case "kib" -> 1024L;
                    case "mib" -> 1024L * 1024;
                    case "gib" -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
        return Math.multiplyExact(n, unit);
    }

    static DisconnectPolicy policy(String v) {
        try {
            return DisconnectPolicy.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be drain or cancel: " + v);
        }
    }

    /** {@code team:X-Meter-Team,project:X-Meter-Project}; empty for no tags. */
    static Map<String, String> tags(String v) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : v.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("expected tag:Header pairs, got " + pair);
            }
            tags.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return tags;
    }
}
