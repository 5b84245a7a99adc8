package io.streammeter.prices;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streammeter.config.DateOrInstant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a price table from YAML or JSON (by extension; JSON is read as JSON). Shape:
 *
 * <pre>
 * models:
 *   - model: gpt-4o-mini*          # exact name or glob
 *     effective_from: 2024-07-18   # a UTC date or an ISO-8601 instant
 *     input: 0.15                  # USD per million input tokens
 *     cached_input: 0.075          # optional, defaults to input: cache reads
 *     cache_write: 0.15            # optional, defaults to input: tokens written to the cache
 *     output: 0.60                 # USD per million output tokens
 * </pre>
 *
 * Prices are read as decimals, never as binary floating point.
 */
public final class PriceFile {
    /** The example table bundled in the jar, used when no price file is configured. */
    public static final String BUNDLED = "prices.yaml";

    private PriceFile() {}

    public static PriceTable load(Path path) {
        ObjectMapper mapper = mapper(path.toString().endsWith(".json"));
        try (InputStream in = Files.newInputStream(path)) {
            return parse(mapper.readTree(in), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read price file " + path, e);
        }
    }

    public static PriceTable bundled() {
        try (InputStream in = PriceFile.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("Bundled " + BUNDLED + " is missing");
            }
            return parse(mapper(false).readTree(in), "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundled " + BUNDLED, e);
        }
    }

    public static PriceTable parse(String text, boolean json) {
        try {
            return parse(mapper(json).readTree(text), "price table");
        } catch (IOException e) {
            throw new IllegalArgumentException("price table: " + e.getMessage(), e);
        }
    }

    static PriceTable parse(JsonNode root, String source) {
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new IllegalArgumentException(source + ": expected a list under 'models'");
        }
        List<PriceEntry> entries = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            String where = source + ": models[" + i + "]";
            try {
                entries.add(entry(models.get(i)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        try {
            return new PriceTable(entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static PriceEntry entry(JsonNode node) {
        BigDecimal input = price(node, "input");
        return new PriceEntry(
                new ModelPattern(text(node, "model")),
                instant(text(node, "effective_from")),
                input,
                optionalPrice(node, "cached_input", input),
                optionalPrice(node, "cache_write", input),
                price(node, "output"));
    }

    private static BigDecimal optionalPrice(JsonNode node, String field, BigDecimal otherwise) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? otherwise : price(node, field);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value.asText();
    }

    private static BigDecimal price(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !(value.isNumber() || value.isTextual())) {
            throw new IllegalArgumentException("'" + field + "' must be a number (USD per 1M)");
        }
        try {
            return value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + field + "' is not a number: " + value);
        }
    }

    static Instant instant(String text) {
        try {
            return DateOrInstant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'effective_from' must be a date (2024-07-18) or an instant: " + text);
        }
    }

    private static ObjectMapper mapper(boolean json) {
        ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        return mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }
}
