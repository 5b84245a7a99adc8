package io.streammeter.relay.config;

import io.streammeter.avro.ApiShape;
import io.streammeter.schemas.TopicCatalog;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything the relay is configured with, validated on construction. {@link RelayConfigLoader}
 * reads it from a file, the environment and flags; {@code relay.example.properties} documents every
 * key; {@link #builder()} starts from the defaults for programmatic use.
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
        SpoolConfig spool) {

    public static final String DEFAULT_LISTEN_HOST = "0.0.0.0";
    public static final int DEFAULT_LISTEN_PORT = 8080;
    public static final String DEFAULT_UPSTREAM_NAME = "openai";
    public static final URI DEFAULT_UPSTREAM_BASE_URL = URI.create("https://api.openai.com/v1");
    public static final String DEFAULT_ANTHROPIC_NAME = "anthropic";
    public static final URI DEFAULT_ANTHROPIC_BASE_URL = URI.create("https://api.anthropic.com/v1");
    public static final Duration DEFAULT_UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UPSTREAM_IDLE_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_UPSTREAM_MAX_CONNECTIONS = 1000;
    public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;
    public static final DisconnectPolicy DEFAULT_DISCONNECT_POLICY = DisconnectPolicy.DRAIN;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
    public static final String DEFAULT_KAFKA_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final Map<String, String> DEFAULT_TAG_HEADERS =
            Map.of("team", "X-Meter-Team", "project", "X-Meter-Project");
    public static final int DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 100_000;
    public static final int MIN_PEPPER_CHARS = 16;

    /** Producer settings the relay fixes, because billing depends on them. */
    public static final Set<String> FIXED_PRODUCER_SETTINGS =
            Set.of(
                    "key.serializer",
                    "value.serializer",
                    "enable.idempotence",
                    "acks",
                    "transactional.id",
                    "bootstrap.servers");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    public RelayConfig {
        require(listenHost != null && !listenHost.isBlank(), "listen.host must not be empty");
        require(listenPort >= 0 && listenPort <= 65535, "listen.port must be 0..65535");
        require(instances >= 1 && instances <= 1024, "listen.instances must be 1..1024");
        require(
                upstreamName != null && NAME.matcher(upstreamName).matches(),
                "upstream.name must be 1-64 of [a-z0-9._-]: " + upstreamName);
        upstreamBaseUrl = baseUrl(upstreamBaseUrl, "upstream");
        require(
                upstreamApiKey == null || !upstreamApiKey.isBlank(),
                "upstream.api-key must not be blank when set");
        require(
                anthropicName != null && NAME.matcher(anthropicName).matches(),
                "anthropic.name must be 1-64 of [a-z0-9._-]: " + anthropicName);
        anthropicBaseUrl = baseUrl(anthropicBaseUrl, "anthropic");
        require(
                anthropicApiKey == null || !anthropicApiKey.isBlank(),
                "anthropic.api-key must not be blank when set");
        positive(upstreamConnectTimeout, "upstream.connect-timeout");
        positive(upstreamIdleTimeout, "upstream.idle-timeout");
        require(upstreamMaxConnections >= 1, "upstream.max-connections must be at least 1");
        require(maxBodyBytes >= 1024, "request.max-body-bytes must be at least 1024");
        require(
                keyIdPepper != null && keyIdPepper.length() >= MIN_PEPPER_CHARS,
                "key-id.pepper is required and must be at least "
                        + MIN_PEPPER_CHARS
                        + " characters");
        Objects.requireNonNull(disconnectPolicy, "disconnect.policy");
        notNegative(drainTimeout, "disconnect.drain-timeout");
        notNegative(shutdownGrace, "shutdown.grace");
        require(
                kafkaBootstrapServers != null && !kafkaBootstrapServers.isBlank(),
                "kafka.bootstrap-servers must not be empty");
        new TopicCatalog(topicPrefix); // validates the prefix
        producerOverrides = Map.copyOf(producerOverrides);
        for (String key : producerOverrides.keySet()) {
            require(
                    !FIXED_PRODUCER_SETTINGS.contains(key),
                    "kafka.producer." + key + " is fixed by the relay and cannot be overridden");
        }
        tagHeaders = Map.copyOf(tagHeaders);
        tagHeaders.forEach(
                (tag, header) -> {
                    require(
                            NAME.matcher(tag).matches(),
                            "tag names must be 1-64 of [a-z0-9._-]: " + tag);
                    require(HEADER.matcher(header).matches(), "not an HTTP header name: " + header);
                });
        require(instanceId != null && !instanceId.isBlank(), "relay.instance-id must not be empty");
        require(maxEventBytes >= 1024, "metering.max-event-bytes must be at least 1024");
        require(publishQueueCapacity >= 1, "publish.queue-capacity must be at least 1");
        require(
                spool != null,
                "spool.dir is required: a directory for events Kafka has not acknowledged");
    }

    /**
     * The upstream that serves an API shape: {@code upstream.*} for OpenAI chat completions, {@code
     * anthropic.*} for Anthropic messages.
     */
    public UpstreamEndpoint upstreamFor(ApiShape shape) {
        return switch (shape) {
            case OPENAI_CHAT_COMPLETIONS ->
                    new UpstreamEndpoint(upstreamName, upstreamBaseUrl, upstreamApiKey);
            case ANTHROPIC_MESSAGES ->
                    new UpstreamEndpoint(anthropicName, anthropicBaseUrl, anthropicApiKey);
            case UNKNOWN -> throw new IllegalArgumentException("no upstream serves " + shape);
        };
    }

    /** A builder holding the defaults; the pepper has none and must be set. */
    public static RelayConfigBuilder builder() {
        return new RelayConfigBuilder();
    }

    /** A builder starting from this configuration. */
    public RelayConfigBuilder toBuilder() {
        return new RelayConfigBuilder(this);
    }

    /** Secrets are never printed: this is what a log line or an exception shows. */
    @Override
    public String toString() {
        Map<String, String> producer = new TreeMap<>();
        producerOverrides.forEach((k, v) -> producer.put(k, secretKey(k) ? "***" : v));
        return "RelayConfig[listen="
                + listenHost
                + ":"
                + listenPort
                + ", instances="
                + instances
                + ", upstream="
                + upstreamName
                + " "
                + upstreamBaseUrl
                + ", upstreamApiKey="
                + (upstreamApiKey == null ? "none" : "***")
                + ", anthropic="
                + anthropicName
                + " "
                + anthropicBaseUrl
                + ", anthropicApiKey="
                + (anthropicApiKey == null ? "none" : "***")
                + ", connectTimeout="
                + upstreamConnectTimeout
                + ", idleTimeout="
                + upstreamIdleTimeout
                + ", maxConnections="
                + upstreamMaxConnections
                + ", maxBodyBytes="
                + maxBodyBytes
                + ", keyIdPepper=***"
                + ", disconnect="
                + disconnectPolicy
                + "/"
                + drainTimeout
                + ", captureContent="
                + captureContent
                + ", shutdownGrace="
                + shutdownGrace
                + ", kafka="
                + kafkaBootstrapServers
                + " prefix="
                + topicPrefix
                + ", producer="
                + producer
                + ", tagHeaders="
                + new TreeMap<>(tagHeaders)
                + ", instanceId="
                + instanceId
                + ", maxEventBytes="
                + maxEventBytes
                + ", publishQueueCapacity="
                + publishQueueCapacity
                + ", spool="
                + spool
                + "]";
    }

    static boolean secretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || (k.contains("key") && !k.contains("serializer"));
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

    private static void positive(Duration d, String key) {
        require(d != null && !d.isNegative() && !d.isZero(), key + " must be positive");
    }

    private static void notNegative(Duration d, String key) {
        require(d != null && !d.isNegative(), key + " must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Default instance id: unique per process, so events from restarts stay apart. */
    static String newInstanceId() {
        return "relay-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
