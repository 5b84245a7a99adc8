package io.streammeter.relay.publish;

import io.streammeter.relay.config.RelayConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The Kafka client settings the relay runs with: its fixed choices, then the operator's. */
public final class KafkaSettings {
    /** Defaults an operator may override with {@code kafka.producer.*}. */
    static final Map<String, Object> PRODUCER_DEFAULTS =
            Map.of(
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    // send() waits this long for metadata or buffer space, on the spool sender
                    // thread only; then the event is resent from the spool, never dropped.
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);

    private KafkaSettings() {}

    /** Producer settings: idempotent, {@code acks=all}, compressed, small linger. */
    public static Map<String, Object> producer(RelayConfig config) {
        Map<String, Object> settings = new HashMap<>(PRODUCER_DEFAULTS);
        settings.putAll(config.producerOverrides());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streammeter-" + config.instanceId());
        return settings;
    }

    /**
     * Admin settings for the readiness check: the bootstrap servers and whatever producer settings
     * also configure an admin client (security, timeouts), so both connect alike.
     */
    public static Map<String, Object> admin(RelayConfig config) {
        Map<String, Object> settings = new HashMap<>();
        config.producerOverrides()
                .forEach(
                        (k, v) -> {
                            // config.providers.* too, or ${file:...} secrets stay unresolved
                            if ((AdminClientConfig.configNames().contains(k)
                                            || k.startsWith("config.providers"))
                                    && !k.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                                settings.put(k, v);
                            }
                        });
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        settings.put(
                AdminClientConfig.CLIENT_ID_CONFIG,
                "streammeter-" + config.instanceId() + "-ready");
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        return settings;
    }
}
