package io.streammeter.metering.domain;

import io.streammeter.avro.Usage;

/**
 * Token counts as the upstream reported them; the state-store form of Avro {@link Usage}. Cached
 * and reasoning counts are null when the upstream did not report them.
 */
public record Tokens(
        long promptTokens,
        long completionTokens,
        long totalTokens,
        Long cachedPromptTokens,
        Long reasoningTokens) {

    public static Tokens of(Usage usage) {
        return usage == null
                ? null
                : new Tokens(
                        usage.getPromptTokens(),
                        usage.getCompletionTokens(),
                        usage.getTotalTokens(),
                        usage.getCachedPromptTokens(),
                        usage.getReasoningTokens());
    }

    public Usage toUsage() {
        return Usage.newBuilder()
                .setPromptTokens(promptTokens)
                .setCompletionTokens(completionTokens)
                .setTotalTokens(totalTokens)
                .setCachedPromptTokens(cachedPromptTokens)
                .setReasoningTokens(reasoningTokens)
                .build();
    }

    /** Cached input tokens, never more than the input tokens, never negative. */
    public long cachedOrZero() {
        long cached = cachedPromptTokens == null ? 0 : cachedPromptTokens;
        return Math.max(0, Math.min(cached, promptTokens));
    }

    public long reasoningOrZero() {
        return reasoningTokens == null ? 0 : Math.max(0, reasoningTokens);
    }
}
