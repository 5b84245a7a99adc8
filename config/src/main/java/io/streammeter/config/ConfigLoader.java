package io.streammeter.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Loads one component's configuration in layers, each overriding the one before: the {@link
 * ConfigDef}'s defaults, a file (named by {@code --config=PATH} or {@code <ENV_PREFIX>CONFIG}), the
 * environment ({@code <ENV_PREFIX>} + the key in upper case with {@code _} for {@code .} and {@code
 * -}), then flags ({@code --key=value}). Keys under a pass-through prefix (such as {@code
 * kafka.producer.}) go to Kafka as they are; in the environment their name is lower-cased with
 * {@code .} for {@code _}. Every other unknown key is an error, so a typo cannot silently fall back
 * to a default. Errors are one line naming the key, its source and the accepted values.
 *
 * @param definition the keys: type, default, validator, documentation
 * @param envPrefix prefix of every environment variable, such as {@code STREAMMETER_RELAY_}
 * @param fileFormat how the file is written
 * @param passThrough key prefixes passed through, such as {@code kafka.producer.}
 */
public record ConfigLoader(
        ConfigDef definition, String envPrefix, FileFormat fileFormat, List<String> passThrough) {

    /** The flag naming the configuration file. */
    public static final String CONFIG_FLAG = "config";

    /** How a configuration file is written. */
    public enum FileFormat {
        /** {@code key=value} lines. */
        PROPERTIES,
        /** A YAML map; nested maps are flattened with dots ({@code kafka: {linger.ms: 5}}). */
        YAML
    }

    public ConfigLoader {
        passThrough = List.copyOf(passThrough);
    }

    /** The environment variable naming the configuration file. */
    public String configEnv() {
        return envPrefix + "CONFIG";
    }

    /** The environment variable of a key. */
    public String envName(String key) {
        return envPrefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Loads defaults, file, environment, then flags.
     *
     * @param args flags: {@code --key=value} or {@code --key value}
     * @param env the environment, usually {@link System#getenv()}
     * @throws IllegalArgumentException one line naming the key, its source and accepted values
     */
    public LoadedConfig load(List<String> args, Map<String, String> env) {
        Map<String, String> flags = Flags.parse(args);
        String file =
                flags.containsKey(CONFIG_FLAG) ? flags.remove(CONFIG_FLAG) : env.get(configEnv());
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        if (file != null && !file.isBlank()) {
            add(values, sources, readFile(Path.of(file)), key -> "file " + file);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        add(values, sources, fromEnv(env, variables), key -> "environment " + variables.get(key));
        add(values, sources, flags, key -> "flags");
        return validate(values, sources);
    }

    /** {@link #load(List, Map)} of a {@code main} method's arguments. */
    public LoadedConfig load(String[] args, Map<String, String> env) {
        return load(List.of(args), env);
    }

    /** Defaults overridden by {@code settings}, keys and values as a file holds them. */
    public LoadedConfig of(Map<String, String> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        add(values, sources, settings, key -> "settings");
        return validate(values, sources);
    }

    private void add(
            Map<String, String> values,
            Map<String, String> sources,
            Map<String, String> layer,
            Function<String, String> sourceOf) {
        layer.forEach(
                (key, value) -> {
                    String source = sourceOf.apply(key);
                    if (!definition.names().contains(key) && passThroughPrefix(key) == null) {
                        throw new IllegalArgumentException(
                                "Unknown setting '"
                                        + key
                                        + "' in "
                                        + source
                                        + "; known: "
                                        + new TreeSet<>(definition.names())
                                        + (passThrough.isEmpty()
                                                ? ""
                                                : " and " + passThrough + "*"));
                    }
                    values.put(key, value == null ? null : value.trim());
                    sources.put(key, source);
                });
    }

    private String passThroughPrefix(String key) {
        for (String prefix : passThrough) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return prefix;
            }
        }
        return null;
    }

    private LoadedConfig validate(Map<String, String> values, Map<String, String> sources) {
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            String source = sources.getOrDefault(key.name, "defaults");
            Object raw = values.containsKey(key.name) ? values.get(key.name) : key.defaultValue;
            if (raw == ConfigDef.NO_DEFAULT_VALUE) {
                throw new IllegalArgumentException(
                        key.name
                                + " is required ("
                                + accepted(key)
                                + "); set it in the file, "
                                + envName(key.name)
                                + " or --"
                                + key.name);
            }
            try {
                Object parsed = ConfigDef.parseType(key.name, raw, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, parsed);
                }
            } catch (ConfigException e) {
                throw new IllegalArgumentException(oneLine(key, source, e), e);
            }
        }
        return new LoadedConfig(definition, values, sources);
    }

    /**
     * {@code key from source: detail; accepted: ...}. The raw value is left out: it may hold a
     * secret (a password, credentials in a URL); the detail of our own types shows safe ones.
     */
    private static String oneLine(ConfigDef.ConfigKey key, String source, ConfigException e) {
        String detail =
                e.getMessage()
                        .replaceFirst("(?s)^Invalid value .* for configuration [^:]+:?\\s*", "");
        return key.name
                + " from "
                + source
                + ": "
                + (detail.isBlank() ? "invalid value" : detail)
                + "; accepted: "
                + accepted(key);
    }

    /** The accepted values of a key, in words. */
    static String accepted(ConfigDef.ConfigKey key) {
        if (key.validator != null) {
            return key.validator.toString();
        }
        return switch (key.type) {
            case INT, SHORT, LONG -> "a whole number";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "a comma-separated list";
            default -> "any text";
        };
    }

    /** The settings in {@code env}; {@code variables} gets each key's variable name. */
    private Map<String, String> fromEnv(Map<String, String> env, Map<String, String> variables) {
        Map<String, String> byEnv = new LinkedHashMap<>();
        definition.names().forEach(key -> byEnv.put(envName(key), key));
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(envPrefix) || name.equals(configEnv())) {
                continue;
            }
            String key = byEnv.get(name);
            if (key == null) {
                key = passThroughKey(name.substring(envPrefix.length()));
            }
            if (key == null) {
                throw new IllegalArgumentException(
                        "Unknown setting '"
                                + name
                                + "' in environment; known: "
                                + new TreeSet<>(byEnv.keySet())
                                + (passThrough.isEmpty()
                                        ? ""
                                        : " and "
                                                + passThrough.stream().map(this::envName).toList()
                                                + "*"));
            }
            settings.put(key, e.getValue());
            variables.put(key, name);
        }
        return settings;
    }

    private String passThroughKey(String rest) {
        for (String prefix : passThrough) {
            String envForm = envName(prefix).substring(envPrefix.length());
            if (rest.startsWith(envForm) && rest.length() > envForm.length()) {
                // LINGER_MS -> linger.ms: Kafka's own keys use dots only.
                return prefix
                        + rest.substring(envForm.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.');
            }
        }
        return null;
    }

    private Map<String, String> readFile(Path path) {
        try {
            return fileFormat == FileFormat.YAML ? readYaml(path) : readProperties(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readProperties(Path path) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        Map<String, String> values = new LinkedHashMap<>();
        new TreeSet<>(props.stringPropertyNames())
                .forEach(k -> values.put(k, props.getProperty(k)));
        return values;
    }

    private static Map<String, String> readYaml(Path path) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return values;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(
                    "configuration file " + path + " must hold a map of keys");
        }
        flatten("", root, values);
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        for (Map.Entry<String, JsonNode> e : fields) {
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key + ".", e.getValue(), into);
            } else if (!e.getValue().isNull()) {
                into.put(key, e.getValue().asText());
            }
        }
    }
}
