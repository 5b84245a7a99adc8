package io.streammeter.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The value types {@link ConfigDef} lacks: durations, byte sizes, lenient booleans and
 * case-insensitive enums. Each is a parser (used by {@link LoadedConfig}'s getters and by {@link
 * CliConverters}) and a {@link ConfigDef.Validator} whose {@code toString} is the "accepted values"
 * text of errors and of docs/configuration.md. Keys of these types are {@code Type.STRING} in the
 * definition, validated here.
 */
public final class ConfigTypes {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib)");

    private ConfigTypes() {}

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d}, or ISO-8601 {@code PT5S}. */
    public static Duration duration(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
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
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "'");
        }
    }

    /** Bytes: {@code 1048576}, {@code 512KiB}, {@code 8MiB}, {@code 1GiB}. */
    public static long byteSize(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = SIZE.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long unit =
                switch (m.group(2)) {
                    case "kib" -> 1024L;
                    case "mib" -> 1024L * 1024;
                    case "gib" -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
        return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    }

    /** {@code true|on|yes} or {@code false|off|no}, any case. */
    public static boolean bool(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("not true or false: '" + text + "'");
        };
    }

    /** The constant of {@code type} named by {@code text}, any case, {@code -} for {@code _}. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no value '" + text + "' (use " + names(type) + ")");
        }
    }

    /** A duration of at least {@code min}. */
    public static Kind durationAtLeast(Duration min) {
        String text =
                "a duration such as 500ms, 30s, 2m, 1h, 7d or PT5S"
                        + (min.isZero() ? ", not negative" : ", at least " + show(min));
        return new Kind(
                "duration",
                text,
                v -> {
                    if (duration(v).compareTo(min) < 0) {
                        throw new IllegalArgumentException(
                                min.isZero() ? "must not be negative" : "below " + show(min));
                    }
                });
    }

    /** A byte size of at least {@code min} bytes. */
    public static Kind byteSizeAtLeast(long min) {
        return new Kind(
                "byte size",
                "bytes such as 1048576, 512KiB, 8MiB or 1GiB, at least " + min,
                v -> {
                    if (byteSize(v) < min) {
                        throw new IllegalArgumentException("below " + min + " bytes");
                    }
                });
    }

    /** A lenient boolean: {@link #bool(String)}. */
    public static final Kind BOOLEAN =
            new Kind("boolean", "true|on|yes, false|off|no", ConfigTypes::bool);

    /** One of {@code type}'s constants, in lower case. */
    public static Kind oneOf(Class<? extends Enum<?>> type) {
        return new Kind(
                "enum",
                names(type),
                v -> {
                    String name = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                    if (Arrays.stream(type.getEnumConstants())
                            .noneMatch(c -> c.name().equals(name))) {
                        throw new IllegalArgumentException("no value '" + v + "'");
                    }
                });
    }

    /** Text that is not blank. */
    public static Kind nonBlank() {
        return new Kind(
                null,
                "non-empty text",
                v -> {
                    if (v.isBlank()) {
                        throw new IllegalArgumentException("must not be empty");
                    }
                });
    }

    /** Text matching {@code regex}. */
    public static Kind matching(String regex, String description) {
        Pattern pattern = Pattern.compile(regex);
        return new Kind(
                null,
                description,
                v -> {
                    if (!pattern.matcher(v.trim()).matches()) {
                        throw new IllegalArgumentException("must be " + description);
                    }
                });
    }

    private static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("|"));
    }

    private static String show(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /**
     * A validator of a textual value type.
     *
     * @param type the type docs/configuration.md shows instead of {@code string}, or null
     * @param accepted what values pass, in words
     */
    public record Kind(String type, String accepted, CheckedParse check)
            implements ConfigDef.Validator {

        /** Parses or checks a non-null value, throwing {@link IllegalArgumentException}. */
        @FunctionalInterface
        public interface CheckedParse {
            void check(String value);
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                check.check(value.toString());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return accepted;
        }
    }
}
