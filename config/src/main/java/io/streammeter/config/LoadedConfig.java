package io.streammeter.config;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * A validated configuration, as {@link ConfigLoader} produced it: Kafka's {@link AbstractConfig}
 * getters for its own types, plus getters for {@link ConfigTypes}, the pass-through settings and
 * the source of each value. Components turn it into their typed record with {@link #build}.
 */
public final class LoadedConfig extends AbstractConfig {
    private final Map<String, String> sources;

    LoadedConfig(ConfigDef definition, Map<String, String> values, Map<String, String> sources) {
        super(definition, values, false);
        this.sources = Map.copyOf(sources);
    }

    /**
     * Where a key's value came from: {@code defaults}, {@code file PATH}, {@code environment}...
     */
    public String source(String key) {
        return sources.getOrDefault(key, "defaults");
    }

    public Duration duration(String key) {
        return ConfigTypes.duration(getString(key));
    }

    public long byteSize(String key) {
        return ConfigTypes.byteSize(getString(key));
    }

    public boolean bool(String key) {
        return ConfigTypes.bool(getString(key));
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        return ConfigTypes.enumValue(type, getString(key));
    }

    /** The key's text, or null when it is unset or empty. */
    public String optional(String key) {
        Object value = get(key);
        String text = value instanceof Password p ? p.value() : (String) value;
        return text == null || text.isEmpty() ? null : text;
    }

    /** The settings under {@code prefix}, without it: Kafka client settings passed through. */
    public Map<String, String> passThrough(String prefix) {
        Map<String, String> settings = new TreeMap<>();
        originalsWithPrefix(prefix).forEach((k, v) -> settings.put(k, String.valueOf(v)));
        return settings;
    }

    /**
     * The component's record, built by {@code constructor}. A check the record makes across keys
     * fails with an {@link IllegalArgumentException} whose message starts with a key; the key's
     * source is added to it.
     */
    public <T> T build(Function<LoadedConfig, T> constructor) {
        try {
            return constructor.apply(this);
        } catch (IllegalArgumentException e) {
            String key =
                    Stream.concat(sources.keySet().stream(), values().keySet().stream())
                            .filter(k -> e.getMessage() != null && e.getMessage().startsWith(k))
                            .max(Comparator.comparingInt(String::length))
                            .orElse(null);
            throw key == null
                    ? e
                    : new IllegalArgumentException(
                            e.getMessage() + " (from " + source(key) + ")", e);
        }
    }
}
