package io.streammeter.relay.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the relay's configuration: the properties file first, then environment variables, then
 * command-line flags, each overriding the one before. The file is named by {@code --config=PATH} or
 * {@code STREAMMETER_RELAY_CONFIG}. Unknown keys are errors, so a typo cannot silently fall back to
 * a default; only {@code kafka.producer.*} passes anything through.
 */
public final class RelayConfigLoader {
    /** Flag naming the configuration file. */
    public static final String CONFIG_FLAG = "config";

    /** Environment variable naming the configuration file. */
    public static final String CONFIG_ENV = Setting.ENV_PREFIX + "CONFIG";

    private RelayConfigLoader() {}

    /**
     * Loads the configuration.
     *
     * @param args flags: {@code --key=value} or {@code --key value}
     * @param env the environment, usually {@link System#getenv()}
     * @throws IllegalArgumentException naming the key and its source when a value is invalid
     */
    public static RelayConfig load(String[] args, Map<String, String> env) {
        Map<String, String> flags = flags(args);
        Map<String, Sourced> values = new LinkedHashMap<>();
        String file =
                flags.containsKey(CONFIG_FLAG) ? flags.remove(CONFIG_FLAG) : env.get(CONFIG_ENV);
        if (file != null && !file.isBlank()) {
            file(Path.of(file)).forEach((k, v) -> values.put(k, new Sourced(v, file)));
        }
        fromEnv(env).forEach((k, v) -> values.put(k, new Sourced(v, "environment")));
        flags.forEach((k, v) -> values.put(k, new Sourced(v, "flags")));
        return build(values);
    }

    /** Builds a configuration from keys and values, as a file would hold them. */
    public static RelayConfig fromMap(Map<String, String> settings) {
        Map<String, Sourced> values = new LinkedHashMap<>();
        settings.forEach((k, v) -> values.put(k, new Sourced(v, "settings")));
        return build(values);
    }

    private static RelayConfig build(Map<String, Sourced> values) {
        RelayConfigBuilder builder = RelayConfig.builder();
        values.forEach(
                (key, value) -> {
                    try {
                        apply(builder, key, value.value());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                e.getMessage() + " (from " + value.source() + ")", e);
                    }
                });
        return builder.build();
    }

    private static void apply(RelayConfigBuilder builder, String key, String value) {
        if (key.startsWith(Setting.PRODUCER_PREFIX)) {
            builder.producerSetting(key.substring(Setting.PRODUCER_PREFIX.length()), value.trim());
            return;
        }
        Setting setting = Setting.byKey(key);
        if (setting == null) {
            throw new IllegalArgumentException("unknown configuration key " + key);
        }
        setting.apply(builder, value);
    }

    static Map<String, String> file(Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + path, e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().stream()
                .sorted()
                .forEach(k -> values.put(k, props.getProperty(k)));
        return values;
    }

    static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            String value = env.get(setting.env());
            if (value != null) {
                values.put(setting.key(), value);
            }
        }
        String producerEnv = Setting.envName(Setting.PRODUCER_PREFIX);
        env.keySet().stream()
                .filter(
                        name ->
                                name.startsWith(producerEnv)
                                        && name.length() > producerEnv.length())
                .sorted()
                .forEach(
                        name -> {
                            // LINGER_MS -> linger.ms: Kafka's own keys use dots only.
                            String key =
                                    name.substring(producerEnv.length()).toLowerCase(Locale.ROOT);
                            values.put(
                                    Setting.PRODUCER_PREFIX + key.replace('_', '.'), env.get(name));
                        });
        return values;
    }

    static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                flags.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("flag " + arg + " has no value");
            }
        }
        return flags;
    }

    private record Sourced(String value, String source) {}
}
