package io.streammeter.metering.budget;

import io.streammeter.prices.PriceEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The most a request can cost before it is sent, so a reservation can never be smaller than the
 * bill. Prompt tokens are bounded by the body's size in bytes (no tokenizer makes more tokens than
 * bytes); output tokens by {@code max_tokens × n} (or {@code max_completion_tokens} / {@code
 * max_output_tokens}), or the configured cap when the request sets none. Priced with the key's
 * price entry at the uncached input rate (the highest input rate for every price file in use —
 * {@link #micros} takes the largest of the input rates to stay safe) and rounded up.
 */
public final class WorstCase {
    private WorstCase() {}

    /** Token bound of one request. */
    public record Tokens(long prompt, long output) {
        public Tokens {
            if (prompt < 0 || output < 0) {
                throw new IllegalArgumentException("token bounds must not be negative");
            }
        }

        public long total() {
            return Math.addExact(prompt, output);
        }
    }

    /**
     * @param bodyBytes the request body's size in bytes
     * @param maxOutputTokens {@code max_tokens} / {@code max_completion_tokens} / {@code
     *     max_output_tokens}, null when the request sets none
     * @param choices {@code n}, null for 1
     * @param capPerModel output tokens assumed when the request sets no maximum
     */
    public static Tokens tokens(
            long bodyBytes, Long maxOutputTokens, Integer choices, long capPerModel) {
        long perChoice =
                maxOutputTokens == null || maxOutputTokens <= 0 ? capPerModel : maxOutputTokens;
        long n = choices == null || choices < 1 ? 1 : choices;
        return new Tokens(Math.max(0, bodyBytes), Math.multiplyExact(perChoice, n));
    }

    /** Micro-USD of {@code tokens} at {@code price}, rounded up (never below the bill). */
    public static long micros(Tokens tokens, PriceEntry price) {
        BigDecimal input =
                price.inputPerMillion()
                        .max(price.cachedInputPerMillion())
                        .max(price.cacheWritePerMillion());
        BigDecimal exact =
                input.multiply(BigDecimal.valueOf(tokens.prompt()))
                        .add(
                                price.outputPerMillion()
                                        .multiply(BigDecimal.valueOf(tokens.output())));
        return exact.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
