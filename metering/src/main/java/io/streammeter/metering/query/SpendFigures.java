package io.streammeter.metering.query;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.prices.Cost;

/**
 * Spend figures as the query API shows them; {@code cost_usd} is {@code cost_micros} in USD. Of
 * {@code requests}, {@code rejected_requests} the relay refused and {@code failed_requests} the
 * upstream failed; the rest were billed as served.
 */
public record SpendFigures(
        long requests,
        long promptTokens,
        long completionTokens,
        long cachedPromptTokens,
        long reasoningTokens,
        long estimatedPromptTokens,
        long estimatedCompletionTokens,
        long streamsMissingUsage,
        long costMicros,
        String costUsd,
        long unpricedTokens,
        long unpricedRequests,
        long rejectedRequests,
        long failedRequests) {

    public static final SpendFigures ZERO =
            new SpendFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, Cost.usd(0), 0, 0, 0, 0);

    public static SpendFigures of(SpendAggregate row) {
        return new SpendFigures(
                row.getRequests(),
                row.getPromptTokens(),
                row.getCompletionTokens(),
                row.getCachedPromptTokens(),
                row.getReasoningTokens(),
                row.getEstimatedPromptTokens(),
                row.getEstimatedCompletionTokens(),
                row.getStreamsMissingUsage(),
                row.getCostMicros(),
                Cost.usd(row.getCostMicros()),
                row.getUnpricedTokens(),
                row.getUnpricedRequests(),
                row.getRejectedRequests(),
                row.getFailedRequests());
    }

    public SpendFigures plus(SpendFigures o) {
        long cost = costMicros + o.costMicros;
        return new SpendFigures(
                requests + o.requests,
                promptTokens + o.promptTokens,
                completionTokens + o.completionTokens,
                cachedPromptTokens + o.cachedPromptTokens,
                reasoningTokens + o.reasoningTokens,
                estimatedPromptTokens + o.estimatedPromptTokens,
                estimatedCompletionTokens + o.estimatedCompletionTokens,
                streamsMissingUsage + o.streamsMissingUsage,
                cost,
                Cost.usd(cost),
                unpricedTokens + o.unpricedTokens,
                unpricedRequests + o.unpricedRequests,
                rejectedRequests + o.rejectedRequests,
                failedRequests + o.failedRequests);
    }
}
