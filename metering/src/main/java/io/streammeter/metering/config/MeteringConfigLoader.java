package io.streammeter.metering.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streammeter.metering.config.MeteringConfig.DeserializationErrors;
import io.streammeter.metering.config.MeteringConfig.ProcessingGuarantee;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a {@link MeteringConfig}: defaults, then a YAML file ({@code --config=PATH} or {@code
 * STREAMMETER_METERING_CONFIG}), then environment variables, then flags; the later source wins.
 *
 * <ul>
 *   <li>file: the keys below; Kafka settings under a {@code kafka:} map
 *   <li>environment: {@code STREAMMETER_METERING_} + the key in upper case with {@code _} for
 *       {@code -}, such as {@code STREAMMETER_METERING_ORPHAN_TIMEOUT}; Kafka settings as {@code
 *       STREAMMETER_METERING_KAFKA_} + the name with {@code _} for {@code .}, such as {@code
 *       STREAMMETER_METERING_KAFKA_NUM_STREAM_THREADS}
 *   <li>flags: {@code --key=value} or {@code --key value}; Kafka settings as {@code
 *       --kafka.num.stream.threads=2}
 * </ul>
 *
 * Durations are ISO-8601 ({@code PT10M}) or a number with a unit ({@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 1h}, {@code 7d}). An unknown key fails, naming the key and its source.
 */
public final class MeteringConfigLoader {
    static final String ENV_PREFIX = "STREAMMETER_METERING_";
    static final String KAFKA_PREFIX = "kafka.";

    /** Every key, in the order of the example file. */
    public static final List<String> KEYS =
            List.of(
                    "bootstrap-servers",
                    "application-id",
                    "topic-prefix",
                    "processing-guarantee",
                    "state-dir",
                    "orphan-timeout",
                    "gap-timeout",
                    "dedup-retention",
                    "spend-grace",
                    "spend-retention",
                    "alert-retention",
                    "rate-window",
                    "rate-grace",
                    "rate-threshold-permille",
                    "rate-min-streams",
                    "price-file",
                    "query-host",
                    "query-port",
                    "application-server",
                    "deserialization-errors",
                    "instance-id");

    private MeteringConfigLoader() {}

    public static MeteringConfig load(List<String> args, Map<String, String> env) {
        Map<String, String> flags = flags(args);
        String file = flags.remove("config");
        if (file == null) {
            file = env.get(ENV_PREFIX + "CONFIG");
        }
        MeteringConfig config = MeteringConfig.defaults();
        if (file != null) {
            config = apply(config, readFile(Path.of(file)), "file " + file);
        }
        config = apply(config, fromEnv(env), "environment");
        return apply(config, flags, "flags");
    }

    /** {@code base} with {@code settings} (key to text) applied; {@code source} names errors. */
    static MeteringConfig apply(MeteringConfig base, Map<String, String> settings, String source) {
        Map<String, String> values = new LinkedHashMap<>(settingsOf(base));
        Map<String, String> kafka = new TreeMap<>(base.kafka());
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey().startsWith(KAFKA_PREFIX)) {
                kafka.put(e.getKey().substring(KAFKA_PREFIX.length()), e.getValue());
            } else if (values.containsKey(e.getKey())) {
                values.put(e.getKey(), e.getValue());
            } else {
                throw new IllegalArgumentException(
                        "Unknown setting '" + e.getKey() + "' in " + source + "; known: " + KEYS);
            }
        }
        try {
            return build(values, kafka);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static MeteringConfig build(Map<String, String> v, Map<String, String> kafka) {
        return new MeteringConfig(
                v.get("bootstrap-servers"),
                v.get("application-id"),
                v.get("topic-prefix"),
                enumValue(ProcessingGuarantee.class, "processing-guarantee", v),
                Path.of(v.get("state-dir")),
                duration(v, "orphan-timeout"),
                duration(v, "gap-timeout"),
                duration(v, "dedup-retention"),
                duration(v, "spend-grace"),
                duration(v, "spend-retention"),
                duration(v, "alert-retention"),
                duration(v, "rate-window"),
                duration(v, "rate-grace"),
                integer(v, "rate-threshold-permille"),
                integer(v, "rate-min-streams"),
                blank(v.get("price-file")) ? null : Path.of(v.get("price-file")),
                v.get("query-host"),
                integer(v, "query-port"),
                blank(v.get("application-server")) ? null : v.get("application-server"),
                enumValue(DeserializationErrors.class, "deserialization-errors", v),
                blank(v.get("instance-id")) ? null : v.get("instance-id").trim(),
                kafka);
    }

    private static Map<String, String> settingsOf(MeteringConfig c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bootstrap-servers", c.bootstrapServers());
        v.put("application-id", c.applicationId());
        v.put("topic-prefix", c.topicPrefix());
        v.put("processing-guarantee", c.processingGuarantee().config());
        v.put("state-dir", c.stateDir().toString());
        v.put("orphan-timeout", c.orphanTimeout().toString());
        v.put("gap-timeout", c.gapTimeout().toString());
        v.put("dedup-retention", c.dedupRetention().toString());
        v.put("spend-grace", c.spendGrace().toString());
        v.put("spend-retention", c.spendRetention().toString());
        v.put("alert-retention", c.alertRetention().toString());
        v.put("rate-window", c.rateWindow().toString());
        v.put("rate-grace", c.rateGrace().toString());
        v.put("rate-threshold-permille", Integer.toString(c.rateThresholdPermille()));
        v.put("rate-min-streams", Integer.toString(c.rateMinStreams()));
        v.put("price-file", c.priceFile() == null ? "" : c.priceFile().toString());
        v.put("query-host", c.queryHost());
        v.put("query-port", Integer.toString(c.queryPort()));
        v.put("application-server", c.applicationServer() == null ? "" : c.applicationServer());
        v.put("deserialization-errors", c.deserializationErrors().name().toLowerCase(Locale.ROOT));
        v.put("instance-id", c.instanceId() == null ? "" : c.instanceId());
        return v;
    }

    static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("Expected --key=value, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.size()) {
                flags.put(arg.substring(2), args.get(++i));
            } else {
                throw new IllegalArgumentException("Flag " + arg + " needs a value");
            }
        }
        return flags;
    }

    static Map<String, String> fromEnv(Map<String, String> env) {
        Set<String> keys = Set.copyOf(KEYS);
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_PREFIX + "CONFIG")) {
                continue;
            }
            String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            if (rest.startsWith("kafka_")) {
                settings.put(KAFKA_PREFIX + rest.substring(6).replace('_', '.'), e.getValue());
            } else if (keys.contains(rest.replace('_', '-'))) {
                settings.put(rest.replace('_', '-'), e.getValue());
            } else {
                throw new IllegalArgumentException(
                        "Unknown environment variable " + name + "; known keys: " + KEYS);
            }
        }
        return settings;
    }

    static Map<String, String> readFile(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read config file " + path, e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return settings;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("Config file " + path + " must hold a map of keys");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("kafka") && e.getValue().isObject()) {
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                k ->
                                        settings.put(
                                                KAFKA_PREFIX + k.getKey(), k.getValue().asText()));
            } else if (!e.getValue().isNull()) {
                settings.put(e.getKey(), e.getValue().asText());
            }
        }
        return settings;
    }

    private static java.time.Duration duration(Map<String, String> v, String key) {
        try {
            return Durations.parse(v.get(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Map<String, String> v, String key) {
        try {
            return Integer.parseInt(v.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + v.get(key));
        }
    }

    private static <E extends Enum<E>> E enumValue(
            Class<E> type, String key, Map<String, String> v) {
        String text = v.get(key).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " has no value '" + v.get(key) + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
