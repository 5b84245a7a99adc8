package io.streammeter.prices;

/**
 * The token counts a price applies to, as an upstream reported them: input (prompt) tokens, of
 * which some were read from the prompt cache and some written to it, and output tokens. The
 * optional counts are null when the upstream did not report them. Relay and metering both price
 * usage through this one type, so they cannot round or clamp differently.
 */
public record TokenCounts(
        long promptTokens,
        long completionTokens,
        Long cachedPromptTokens,
        Long cacheCreationPromptTokens) {

    /** Cached input tokens, never more than the input tokens, never negative. */
    public long cachedOrZero() {
        long cached = cachedPromptTokens == null ? 0 : cachedPromptTokens;
        return Math.max(0, Math.min(cached, Math.max(0, promptTokens)));
    }

    /**
     * Input tokens written to the prompt cache, never more than the input tokens left once cached
     * ones are taken out, never negative.
     */
    public long cacheCreationOrZero() {
        long created = cacheCreationPromptTokens == null ? 0 : cacheCreationPromptTokens;
        return Math.max(0, Math.min(created, Math.max(0, promptTokens) - cachedOrZero()));
    }
}
