package io.streammeter.config;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * A configuration record back as settings, so that {@code config.with(key, value)} can reload it
 * with one key changed. By convention each key's component is the key in camel case ({@code
 * orphan-timeout} is {@code orphanTimeout}); a key without one is a programming error.
 */
public final class RecordSettings {
    private RecordSettings() {}

    /** Every defined key's value, as text the key's parser reads back; null values are left out. */
    public static Map<String, String> of(Record config, ConfigDef definition) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            components.put(c.getName(), c);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : definition.names()) {
            RecordComponent c = components.get(Redaction.camelCase(key));
            if (c == null) {
                throw new IllegalStateException(
                        config.getClass().getSimpleName() + " has no component for " + key);
            }
            Object value;
            try {
                value = c.getAccessor().invoke(config);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Enum<?> e) {
                settings.put(key, e.name().toLowerCase(Locale.ROOT));
            } else if (value != null) {
                settings.put(key, value.toString());
            }
        }
        return settings;
    }
}
