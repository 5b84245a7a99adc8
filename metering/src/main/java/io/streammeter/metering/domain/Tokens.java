package io.streammeter.metering.domain;

import io.streammeter.avro.Usage;
import io.streammeter.prices.TokenCounts;

/**
 * Token counts as the upstream reported them; the state-store form of Avro {@link Usage}. Cached,
 * reasoning and cache-creation counts are null when the upstream did not report them. Cached and
 * cache-creation tokens are both parts of the prompt tokens.
 */
public record Tokens(
        long promptTokens,
        long completionTokens,
        long totalTokens,
        Long cachedPromptTokens,
        Long reasoningTokens,
        Long cacheCreationPromptTokens,
        boolean partial) {

    public static Tokens of(Usage usage) {
        return usage == null
                ? null
                : new Tokens(
                        usage.getPromptTokens(),
                        usage.getCompletionTokens(),
                        usage.getTotalTokens(),
                        usage.getCachedPromptTokens(),
                        usage.getReasoningTokens(),
                        usage.getCacheCreationPromptTokens(),
                        Boolean.TRUE.equals(usage.getPartial()));
    }

    public Usage toUsage() {
        return Usage.newBuilder()
                .setPromptTokens(promptTokens)
                .setCompletionTokens(completionTokens)
                .setTotalTokens(totalTokens)
                .setCachedPromptTokens(cachedPromptTokens)
                .setReasoningTokens(reasoningTokens)
                .setCacheCreationPromptTokens(cacheCreationPromptTokens)
                .setPartial(partial)
                .build();
    }

    /**
     * What of partial usage is final: the input counts, with no output (the provisional output
     * count is left to the estimate). Final usage is returned as it is.
     */
    public Tokens finalPart() {
        if (!partial) {
            return this;
        }
        return new Tokens(
                promptTokens,
                0,
                promptTokens,
                cachedPromptTokens,
                null,
                cacheCreationPromptTokens,
                true);
    }

    /** The counts a price applies to. */
    public TokenCounts counts() {
        return new TokenCounts(
                promptTokens, completionTokens, cachedPromptTokens, cacheCreationPromptTokens);
    }

    /** Cached input tokens, never more than the input tokens, never negative. */
    public long cachedOrZero() {
        return counts().cachedOrZero();
    }

    /** Input tokens written to the prompt cache; see {@link TokenCounts#cacheCreationOrZero()}. */
    public long cacheCreationOrZero() {
        return counts().cacheCreationOrZero();
    }

    public long reasoningOrZero() {
        return reasoningTokens == null ? 0 : Math.max(0, reasoningTokens);
    }
}
