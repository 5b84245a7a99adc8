package io.streammeter.metering.domain;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.Usage;

/** What one line item adds to its spend row; negated, what a superseded revision takes back. */
public record SpendAmounts(
        long requests,
        long promptTokens,
        long completionTokens,
        long cachedPromptTokens,
        long reasoningTokens,
        long estimatedPromptTokens,
        long estimatedCompletionTokens,
        long streamsMissingUsage,
        long costMicros,
        long unpricedTokens,
        long unpricedRequests,
        long rejectedRequests,
        long failedRequests) {

    public static SpendAmounts of(StreamSummary item) {
        Usage usage = item.getUsage();
        Tokens tokens = Tokens.of(usage);
        long prompt = tokens == null ? 0 : tokens.promptTokens();
        long completion = tokens == null ? 0 : tokens.completionTokens();
        return new SpendAmounts(
                1,
                prompt,
                completion,
                tokens == null ? 0 : tokens.cachedOrZero(),
                tokens == null ? 0 : tokens.reasoningOrZero(),
                item.getEstimatedPromptTokens(),
                item.getEstimatedCompletionTokens(),
                item.getMissingUsage() ? 1 : 0,
                item.getCostMicros() == null ? 0 : item.getCostMicros(),
                item.getUnpriced() ? prompt + completion : 0,
                item.getUnpriced() ? 1 : 0,
                item.getOutcome() == Outcome.REJECTED ? 1 : 0,
                failed(item.getOutcome()) ? 1 : 0);
    }

    /** The upstream failed the request: it answered an error, or nothing in time. */
    static boolean failed(Outcome outcome) {
        return outcome == Outcome.UPSTREAM_ERROR || outcome == Outcome.UPSTREAM_TIMEOUT;
    }

    public SpendAmounts negated() {
        return new SpendAmounts(
                -requests,
                -promptTokens,
                -completionTokens,
                -cachedPromptTokens,
                -reasoningTokens,
                -estimatedPromptTokens,
                -estimatedCompletionTokens,
                -streamsMissingUsage,
                -costMicros,
                -unpricedTokens,
                -unpricedRequests,
                -rejectedRequests,
                -failedRequests);
    }

    /** An empty row for {@code key} in the hour starting at {@code windowStart}. */
    public static SpendAggregate emptyRow(SpendKey key, long windowStart, long windowEnd) {
        return SpendAggregate.newBuilder()
                .setKeyId(key.keyId())
                .setModel(key.model())
                .setWindowStart(java.time.Instant.ofEpochMilli(windowStart))
                .setWindowEnd(java.time.Instant.ofEpochMilli(windowEnd))
                .setRequests(0)
                .setPromptTokens(0)
                .setCompletionTokens(0)
                .setCachedPromptTokens(0)
                .setReasoningTokens(0)
                .setEstimatedPromptTokens(0)
                .setEstimatedCompletionTokens(0)
                .setStreamsMissingUsage(0)
                .setCostMicros(0)
                .setUnpricedTokens(0)
                .setUnpricedRequests(0)
                .setRejectedRequests(0)
                .setFailedRequests(0)
                .build();
    }

    /** {@code row} with these amounts added, as a new record. */
    public SpendAggregate addTo(SpendAggregate row) {
        return SpendAggregate.newBuilder(row)
                .setRequests(row.getRequests() + requests)
                .setPromptTokens(row.getPromptTokens() + promptTokens)
                .setCompletionTokens(row.getCompletionTokens() + completionTokens)
                .setCachedPromptTokens(row.getCachedPromptTokens() + cachedPromptTokens)
                .setReasoningTokens(row.getReasoningTokens() + reasoningTokens)
                .setEstimatedPromptTokens(row.getEstimatedPromptTokens() + estimatedPromptTokens)
                .setEstimatedCompletionTokens(
                        row.getEstimatedCompletionTokens() + estimatedCompletionTokens)
                .setStreamsMissingUsage(row.getStreamsMissingUsage() + streamsMissingUsage)
                .setCostMicros(row.getCostMicros() + costMicros)
                .setUnpricedTokens(row.getUnpricedTokens() + unpricedTokens)
                .setUnpricedRequests(row.getUnpricedRequests() + unpricedRequests)
                .setRejectedRequests(row.getRejectedRequests() + rejectedRequests)
                .setFailedRequests(row.getFailedRequests() + failedRequests)
                .build();
    }
}
