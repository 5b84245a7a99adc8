package io.streammeter.prices;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The cost of one line item in micro-USD. A price of X USD per million tokens is X micro-USD per
 * token, so the exact cost is {@code uncached input x input + cached x cached_input + cache
 * creation x cache_write + output x output} in micro-USD, where uncached input = prompt - cached -
 * cache creation; it is computed in {@link BigDecimal} and rounded once per line item, half up, to
 * a whole micro-USD. Spend is the sum of those integers, so it always equals the sum of its line
 * items.
 */
public final class Cost {
    public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

    private Cost() {}

    public static long micros(TokenCounts usage, PriceEntry price) {
        long cached = usage.cachedOrZero();
        long created = usage.cacheCreationOrZero();
        long uncached = Math.max(0, usage.promptTokens()) - cached - created;
        long output = Math.max(0, usage.completionTokens());
        BigDecimal exact =
                price.inputPerMillion()
                        .multiply(BigDecimal.valueOf(uncached))
                        .add(price.cachedInputPerMillion().multiply(BigDecimal.valueOf(cached)))
                        .add(price.cacheWritePerMillion().multiply(BigDecimal.valueOf(created)))
                        .add(price.outputPerMillion().multiply(BigDecimal.valueOf(output)));
        return exact.setScale(0, ROUNDING).longValueExact();
    }

    /** Micro-USD as a USD amount with six decimals, for people. */
    public static String usd(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
