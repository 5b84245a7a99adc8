package io.streammeter.config;

import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Prints a configuration record without its secrets, so that a log line or an exception never shows
 * one. A component is secret when its key is of {@link ConfigDef.Type#PASSWORD} type (the component
 * is named after the key in camel case: {@code upstream.api-key} is {@code upstreamApiKey}); in a
 * map of Kafka settings, a setting is secret when Kafka's own definition says PASSWORD, or its name
 * speaks of a password, secret, JAAS or key.
 */
public final class Redaction {
    private static final String HIDDEN = "[hidden]";
    private static final ConfigDef[] KAFKA = {
        ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef()
    };

    private Redaction() {}

    /** {@code Name[component=value, ...]} with secrets hidden. */
    public static String toString(Record config, ConfigDef definition) {
        Map<String, Boolean> secret = new TreeMap<>();
        definition.configKeys().values().stream()
                .filter(k -> k.type == ConfigDef.Type.PASSWORD)
                .forEach(k -> secret.put(camelCase(k.name), true));
        StringJoiner text = new StringJoiner(", ", config.getClass().getSimpleName() + "[", "]");
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(config);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (secret.containsKey(c.getName()) && value != null) {
                value = HIDDEN;
            } else if (value instanceof Map<?, ?> map) {
                Map<String, Object> shown = new TreeMap<>();
                map.forEach(
                        (k, v) ->
                                shown.put(k.toString(), secretSetting(k.toString()) ? HIDDEN : v));
                value = shown;
            }
            text.add(c.getName() + "=" + value);
        }
        return text.toString();
    }

    /** Whether a Kafka client setting (possibly prefixed, such as {@code producer.}) is secret. */
    public static boolean secretSetting(String name) {
        String k = name.toLowerCase(Locale.ROOT);
        for (ConfigDef def : KAFKA) {
            for (ConfigDef.ConfigKey key : def.configKeys().values()) {
                if (key.type == ConfigDef.Type.PASSWORD && k.endsWith(key.name)) {
                    return true;
                }
            }
        }
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || (k.contains("key") && !k.contains("serializer"));
    }

    static String camelCase(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char ch : key.toCharArray()) {
            if (ch == '.' || ch == '-' || ch == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
