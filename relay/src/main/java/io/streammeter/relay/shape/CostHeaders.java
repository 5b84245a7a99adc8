package io.streammeter.relay.shape;

import io.streammeter.avro.Usage;
import io.streammeter.prices.Cost;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceTable;
import io.streammeter.prices.TokenCounts;
import java.time.Instant;
import java.util.Optional;

/**
 * The cost header of a non-streamed response: the price-table cost of the usage its body reported,
 * priced exactly as metering prices the line item (model as reported, else as requested; {@link
 * Cost#micros} rounded once, half up, to a micro-USD; partial usage bills its input only), written
 * with six decimals. The usage is what the shape's adapter read for the line item ({@link
 * StreamUsage}); there is no second usage parser.
 */
public final class CostHeaders {
    /** The cost in USD with six decimals, such as {@code 0.000123}. */
    public static final String COST = "X-Streammeter-Cost-Usd";

    /** {@code 1} when the model has no price or the body reported no usage. */
    public static final String UNPRICED = "X-Streammeter-Unpriced";

    private CostHeaders() {}

    /** One header: its name and value. */
    public record Header(String name, String value) {}

    /**
     * The header for a body whose usage was folded into {@code usage}.
     *
     * @param modelRequested the request's model, used when the body names none
     * @param at the time the price applies at (the line item's end)
     */
    public static Header of(
            StreamUsage usage, String modelRequested, PriceTable prices, Instant at) {
        String model = usage.modelReported() != null ? usage.modelReported() : modelRequested;
        return of(usage.usage(), model, prices, at);
    }

    /** The header for {@code usage} (null when absent) of {@code model} (null when unknown). */
    public static Header of(Usage usage, String model, PriceTable prices, Instant at) {
        if (usage == null || model == null) {
            return unpriced();
        }
        Optional<PriceEntry> price = prices.find(model, at);
        if (price.isEmpty()) {
            return unpriced();
        }
        return new Header(COST, Cost.usd(Cost.micros(counts(usage), price.get())));
    }

    /** The counts priced: partial usage (output not final) bills its input only, like metering. */
    static TokenCounts counts(Usage usage) {
        boolean partial = Boolean.TRUE.equals(usage.getPartial());
        return new TokenCounts(
                usage.getPromptTokens(),
                partial ? 0 : usage.getCompletionTokens(),
                usage.getCachedPromptTokens(),
                usage.getCacheCreationPromptTokens());
    }

    private static Header unpriced() {
        return new Header(UNPRICED, "1");
    }
}
