package io.streammeter.prices;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the price table: a model pattern, the instant the price takes effect, and USD per
 * million input, cached input (cache reads), cache-write and output tokens. USD per million tokens
 * is exactly micro-USD per token, which is how {@link Cost} uses them.
 */
public record PriceEntry(
        ModelPattern model,
        Instant effectiveFrom,
        BigDecimal inputPerMillion,
        BigDecimal cachedInputPerMillion,
        BigDecimal cacheWritePerMillion,
        BigDecimal outputPerMillion) {

    public PriceEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(effectiveFrom, "effective_from");
        requireNonNegative("input", inputPerMillion);
        requireNonNegative("cached_input", cachedInputPerMillion);
        requireNonNegative("cache_write", cacheWritePerMillion);
        requireNonNegative("output", outputPerMillion);
    }

    public boolean appliesTo(String modelName, Instant at) {
        return !at.isBefore(effectiveFrom) && model.matches(modelName);
    }

    /** How line items name the entry they were priced with: {@code pattern@effective-from}. */
    public String label() {
        return model.text() + "@" + effectiveFrom;
    }

    private static void requireNonNegative(String name, BigDecimal value) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException(name + " must be a price of zero or more");
        }
    }
}
