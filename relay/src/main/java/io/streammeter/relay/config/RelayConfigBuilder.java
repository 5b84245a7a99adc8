package io.streammeter.relay.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a {@link RelayConfig} from the defaults; validation happens in {@link #build()}. */
public final class RelayConfigBuilder {
    private String listenHost = RelayConfig.DEFAULT_LISTEN_HOST;
    private int listenPort = RelayConfig.DEFAULT_LISTEN_PORT;
    private int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    private String upstreamName = RelayConfig.DEFAULT_UPSTREAM_NAME;
    private URI upstreamBaseUrl = RelayConfig.DEFAULT_UPSTREAM_BASE_URL;
    private String upstreamApiKey;
    private String anthropicName = RelayConfig.DEFAULT_ANTHROPIC_NAME;
    private URI anthropicBaseUrl = RelayConfig.DEFAULT_ANTHROPIC_BASE_URL;
    private String anthropicApiKey;
    private Duration upstreamConnectTimeout = RelayConfig.DEFAULT_UPSTREAM_CONNECT_TIMEOUT;
    private Duration upstreamIdleTimeout = RelayConfig.DEFAULT_UPSTREAM_IDLE_TIMEOUT;
    private int upstreamMaxConnections = RelayConfig.DEFAULT_UPSTREAM_MAX_CONNECTIONS;
    private long maxBodyBytes = RelayConfig.DEFAULT_MAX_BODY_BYTES;
    private String keyIdPepper;
    private DisconnectPolicy disconnectPolicy = RelayConfig.DEFAULT_DISCONNECT_POLICY;
    private Duration drainTimeout = RelayConfig.DEFAULT_DRAIN_TIMEOUT;
    private boolean captureContent;
    private Duration shutdownGrace = RelayConfig.DEFAULT_SHUTDOWN_GRACE;
    private String kafkaBootstrapServers = RelayConfig.DEFAULT_KAFKA_BOOTSTRAP_SERVERS;
    private String topicPrefix = io.streammeter.schemas.TopicCatalog.DEFAULT_PREFIX;
    private final Map<String, String> producerOverrides = new LinkedHashMap<>();
    private Map<String, String> tagHeaders = RelayConfig.DEFAULT_TAG_HEADERS;
    private String instanceId = RelayConfig.newInstanceId();
    private int maxEventBytes = RelayConfig.DEFAULT_MAX_EVENT_BYTES;
    private int publishQueueCapacity = RelayConfig.DEFAULT_PUBLISH_QUEUE_CAPACITY;
    private Path spoolDir;
    private long spoolMaxBytes = SpoolConfig.DEFAULT_MAX_BYTES;
    private Long spoolSegmentBytes; // null: the default, at most spoolMaxBytes
    private SpoolConfig.Fsync spoolFsync = SpoolConfig.DEFAULT_FSYNC;
    private Duration spoolFsyncInterval = SpoolConfig.DEFAULT_FSYNC_INTERVAL;
    private SpoolConfig.FullPolicy spoolFullPolicy = SpoolConfig.DEFAULT_FULL_POLICY;

    RelayConfigBuilder() {}

    RelayConfigBuilder(RelayConfig c) {
        listenHost = c.listenHost();
        listenPort = c.listenPort();
        instances = c.instances();
        upstreamName = c.upstreamName();
        upstreamBaseUrl = c.upstreamBaseUrl();
        upstreamApiKey = c.upstreamApiKey();
        anthropicName = c.anthropicName();
        anthropicBaseUrl = c.anthropicBaseUrl();
        anthropicApiKey = c.anthropicApiKey();
        upstreamConnectTimeout = c.upstreamConnectTimeout();
        upstreamIdleTimeout = c.upstreamIdleTimeout();
        upstreamMaxConnections = c.upstreamMaxConnections();
        maxBodyBytes = c.maxBodyBytes();
        keyIdPepper = c.keyIdPepper();
        disconnectPolicy = c.disconnectPolicy();
        drainTimeout = c.drainTimeout();
        captureContent = c.captureContent();
        shutdownGrace = c.shutdownGrace();
        kafkaBootstrapServers = c.kafkaBootstrapServers();
        topicPrefix = c.topicPrefix();
        producerOverrides.putAll(c.producerOverrides());
        tagHeaders = c.tagHeaders();
        instanceId = c.instanceId();
        maxEventBytes = c.maxEventBytes();
        publishQueueCapacity = c.publishQueueCapacity();
        spool(c.spool());
    }

    public RelayConfigBuilder listenHost(String value) {
        listenHost = value;
        return this;
    }

    public RelayConfigBuilder listenPort(int value) {
        listenPort = value;
        return this;
    }

    public RelayConfigBuilder instances(int value) {
        instances = value;
        return this;
    }

    public RelayConfigBuilder upstreamName(String value) {
        upstreamName = value;
        return this;
    }

    public RelayConfigBuilder upstreamBaseUrl(URI value) {
        upstreamBaseUrl = value;
        return this;
    }

    public RelayConfigBuilder upstreamApiKey(String value) {
        upstreamApiKey = value;
        return this;
    }

    public RelayConfigBuilder anthropicName(String value) {
        anthropicName = value;
        return this;
    }

    public RelayConfigBuilder anthropicBaseUrl(URI value) {
        anthropicBaseUrl = value;
        return this;
    }

    public RelayConfigBuilder anthropicApiKey(String value) {
        anthropicApiKey = value;
        return this;
    }

    public RelayConfigBuilder upstreamConnectTimeout(Duration value) {
        upstreamConnectTimeout = value;
        return this;
    }

    public RelayConfigBuilder upstreamIdleTimeout(Duration value) {
        upstreamIdleTimeout = value;
        return this;
    }

    public RelayConfigBuilder upstreamMaxConnections(int value) {
        upstreamMaxConnections = value;
        return this;
    }

    public RelayConfigBuilder maxBodyBytes(long value) {
        maxBodyBytes = value;
        return this;
    }

    public RelayConfigBuilder keyIdPepper(String value) {
        keyIdPepper = value;
        return this;
    }

    public RelayConfigBuilder disconnectPolicy(DisconnectPolicy value) {
        disconnectPolicy = value;
        return this;
    }

    public RelayConfigBuilder drainTimeout(Duration value) {
        drainTimeout = value;
        return this;
    }

    public RelayConfigBuilder captureContent(boolean value) {
        captureContent = value;
        return this;
    }

    public RelayConfigBuilder shutdownGrace(Duration value) {
        shutdownGrace = value;
        return this;
    }

    public RelayConfigBuilder kafkaBootstrapServers(String value) {
        kafkaBootstrapServers = value;
        return this;
    }

    public RelayConfigBuilder topicPrefix(String value) {
        topicPrefix = value;
        return this;
    }

    /** Adds one Kafka producer setting, such as {@code linger.ms}. */
    public RelayConfigBuilder producerSetting(String key, String value) {
        producerOverrides.put(key, value);
        return this;
    }

    public RelayConfigBuilder tagHeaders(Map<String, String> value) {
        tagHeaders = value;
        return this;
    }

    public RelayConfigBuilder instanceId(String value) {
        instanceId = value;
        return this;
    }

    public RelayConfigBuilder maxEventBytes(int value) {
        maxEventBytes = value;
        return this;
    }

    public RelayConfigBuilder publishQueueCapacity(int value) {
        publishQueueCapacity = value;
        return this;
    }

    /** Every {@code spool.*} setting at once. */
    public RelayConfigBuilder spool(SpoolConfig value) {
        spoolDir = value.dir();
        spoolMaxBytes = value.maxBytes();
        spoolSegmentBytes = value.segmentBytes();
        spoolFsync = value.fsync();
        spoolFsyncInterval = value.fsyncInterval();
        spoolFullPolicy = value.fullPolicy();
        return this;
    }

    public RelayConfigBuilder spoolDir(Path value) {
        spoolDir = value;
        return this;
    }

    public RelayConfigBuilder spoolMaxBytes(long value) {
        spoolMaxBytes = value;
        return this;
    }

    public RelayConfigBuilder spoolSegmentBytes(long value) {
        spoolSegmentBytes = value;
        return this;
    }

    public RelayConfigBuilder spoolFsync(SpoolConfig.Fsync value) {
        spoolFsync = value;
        return this;
    }

    public RelayConfigBuilder spoolFsyncInterval(Duration value) {
        spoolFsyncInterval = value;
        return this;
    }

    public RelayConfigBuilder spoolFullPolicy(SpoolConfig.FullPolicy value) {
        spoolFullPolicy = value;
        return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the key of the first invalid value
     */
    public RelayConfig build() {
        return new RelayConfig(
                listenHost,
                listenPort,
                instances,
                upstreamName,
                upstreamBaseUrl,
                upstreamApiKey,
                anthropicName,
                anthropicBaseUrl,
                anthropicApiKey,
                upstreamConnectTimeout,
                upstreamIdleTimeout,
                upstreamMaxConnections,
                maxBodyBytes,
                keyIdPepper,
                disconnectPolicy,
                drainTimeout,
                captureContent,
                shutdownGrace,
                kafkaBootstrapServers,
                topicPrefix,
                producerOverrides,
                tagHeaders,
                instanceId,
                maxEventBytes,
                publishQueueCapacity,
                spoolDir == null
                        ? null // RelayConfig says it is required, after the keys before it
                        : new SpoolConfig(
                                spoolDir,
                                spoolMaxBytes,
                                spoolSegmentBytes != null
                                        ? spoolSegmentBytes
                                        : Math.min(
                                                SpoolConfig.DEFAULT_SEGMENT_BYTES, spoolMaxBytes),
                                spoolFsync,
                                spoolFsyncInterval,
                                spoolFullPolicy));
    }
}
