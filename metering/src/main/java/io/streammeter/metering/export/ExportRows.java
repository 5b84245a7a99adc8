package io.streammeter.metering.export;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.Usage;
import io.streammeter.prices.Cost;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The columns of each export, in order. Column names are the file's contract with billing backends:
 * documented in the README, changed only by adding columns at the end.
 */
final class ExportRows {
    static final List<String> SPEND_COLUMNS =
            List.of(
                    "window_start",
                    "window_end",
                    "key_id",
                    "model",
                    "requests",
                    "prompt_tokens",
                    "completion_tokens",
                    "cached_prompt_tokens",
                    "reasoning_tokens",
                    "estimated_prompt_tokens",
                    "estimated_completion_tokens",
                    "streams_missing_usage",
                    "unpriced_tokens",
                    "unpriced_requests",
                    "cost_micros",
                    "cost_usd",
                    "rejected_requests",
                    "failed_requests");

    static final List<String> SUMMARY_COLUMNS =
            List.of(
                    "ended_at",
                    "stream_id",
                    "revision",
                    "started_at",
                    "key_id",
                    "model",
                    "api_shape",
                    "user",
                    "upstream",
                    "outcome",
                    "usage_source",
                    "prompt_tokens",
                    "completion_tokens",
                    "cached_prompt_tokens",
                    "reasoning_tokens",
                    "estimated_prompt_tokens",
                    "estimated_completion_tokens",
                    "missing_usage",
                    "missing_usage_reason",
                    "sequence_gaps",
                    "unpriced",
                    "cost_micros",
                    "cost_usd",
                    "tags",
                    "cache_creation_prompt_tokens",
                    "upstream_status",
                    "finish_reason",
                    "error_text",
                    "duration_ms",
                    "chunk_count",
                    "price_entry");

    static final Comparator<SpendAggregate> SPEND_ORDER =
            Comparator.comparing(SpendAggregate::getWindowStart)
                    .thenComparing(SpendAggregate::getKeyId)
                    .thenComparing(SpendAggregate::getModel);

    static final Comparator<StreamSummary> SUMMARY_ORDER =
            Comparator.comparing(StreamSummary::getEndedAt)
                    .thenComparing(s -> String.valueOf(s.getKeyId()))
                    .thenComparing(StreamSummary::getStreamId);

    private ExportRows() {}

    static Map<String, Object> spend(SpendAggregate s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("window_start", s.getWindowStart().toString());
        row.put("window_end", s.getWindowEnd().toString());
        row.put("key_id", s.getKeyId());
        row.put("model", s.getModel());
        row.put("requests", s.getRequests());
        row.put("prompt_tokens", s.getPromptTokens());
        row.put("completion_tokens", s.getCompletionTokens());
        row.put("cached_prompt_tokens", s.getCachedPromptTokens());
        row.put("reasoning_tokens", s.getReasoningTokens());
        row.put("estimated_prompt_tokens", s.getEstimatedPromptTokens());
        row.put("estimated_completion_tokens", s.getEstimatedCompletionTokens());
        row.put("streams_missing_usage", s.getStreamsMissingUsage());
        row.put("unpriced_tokens", s.getUnpricedTokens());
        row.put("unpriced_requests", s.getUnpricedRequests());
        row.put("cost_micros", s.getCostMicros());
        row.put("cost_usd", Cost.usd(s.getCostMicros()));
        row.put("rejected_requests", s.getRejectedRequests());
        row.put("failed_requests", s.getFailedRequests());
        return row;
    }

    static Map<String, Object> summary(StreamSummary s) {
        Usage usage = s.getUsage();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ended_at", s.getEndedAt().toString());
        row.put("stream_id", s.getStreamId());
        row.put("revision", s.getRevision());
        row.put("started_at", s.getStartedAt() == null ? null : s.getStartedAt().toString());
        row.put("key_id", s.getKeyId());
        row.put("model", s.getModel());
        row.put("api_shape", s.getApiShape().name());
        row.put("user", s.getUser());
        row.put("upstream", s.getUpstream());
        row.put("outcome", s.getOutcome().name());
        row.put("usage_source", s.getUsageSource().name());
        row.put("prompt_tokens", usage == null ? null : usage.getPromptTokens());
        row.put("completion_tokens", usage == null ? null : usage.getCompletionTokens());
        row.put("cached_prompt_tokens", usage == null ? null : usage.getCachedPromptTokens());
        row.put("reasoning_tokens", usage == null ? null : usage.getReasoningTokens());
        row.put("estimated_prompt_tokens", s.getEstimatedPromptTokens());
        row.put("estimated_completion_tokens", s.getEstimatedCompletionTokens());
        row.put("missing_usage", s.getMissingUsage());
        row.put("missing_usage_reason", s.getMissingUsageReason());
        row.put("sequence_gaps", s.getSequenceGaps());
        row.put("unpriced", s.getUnpriced());
        row.put("cost_micros", s.getCostMicros());
        row.put("cost_usd", s.getCostMicros() == null ? null : Cost.usd(s.getCostMicros()));
        row.put("tags", tags(s.getTags()));
        row.put(
                "cache_creation_prompt_tokens",
                usage == null ? null : usage.getCacheCreationPromptTokens());
        row.put("upstream_status", s.getUpstreamStatus());
        row.put("finish_reason", s.getFinishReason());
        row.put("error_text", s.getErrorText());
        row.put("duration_ms", s.getDurationMillis());
        row.put("chunk_count", s.getChunkCount());
        row.put("price_entry", s.getPriceEntry());
        return row;
    }

    /** Tags as {@code name=value;name=value}, sorted by name, so a CSV cell stays flat. */
    private static String tags(Map<String, String> tags) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(tags)
                .forEach(
                        (k, v) -> {
                            if (out.length() > 0) {
                                out.append(';');
                            }
                            out.append(k).append('=').append(v);
                        });
        return out.toString();
    }
}
