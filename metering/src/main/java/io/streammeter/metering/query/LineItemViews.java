package io.streammeter.metering.query;

import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.Usage;
import io.streammeter.prices.Cost;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON bodies of the line-item and in-flight routes (snake_case on the wire, times ISO-8601
 * UTC, enums lower case as in the export).
 */
public final class LineItemViews {
    private LineItemViews() {}

    /**
     * {@code GET /v1/line-items/{stream id}}: everything metering knows about one stream's line
     * item, its latest revision. Token counts are null when the upstream reported no usage; the
     * estimates are then set, never priced ({@code cost_micros} null).
     */
    public record LineItem(
            String streamId,
            int revision,
            String keyId,
            String model,
            String modelRequested,
            String apiShape,
            String upstream,
            String user,
            Map<String, String> tags,
            boolean streaming,
            String outcome,
            String usageSource,
            String startedAt,
            String endedAt,
            Long durationMillis,
            Long promptTokens,
            Long completionTokens,
            Long cachedPromptTokens,
            Long reasoningTokens,
            Long cacheCreationPromptTokens,
            long estimatedPromptTokens,
            long estimatedCompletionTokens,
            boolean missingUsage,
            String missingUsageReason,
            int chunkCount,
            long contentChars,
            int sequenceGaps,
            String finishReason,
            Integer upstreamStatus,
            String errorText,
            String priceEntry,
            boolean unpriced,
            Long costMicros,
            String costUsd) {

        public static LineItem of(StreamSummary s) {
            Usage u = s.getUsage();
            return new LineItem(
                    s.getStreamId(),
                    s.getRevision(),
                    s.getKeyId(),
                    s.getModel(),
                    s.getModelRequested(),
                    code(s.getApiShape()),
                    s.getUpstream(),
                    s.getUser(),
                    s.getTags(),
                    s.getStreaming(),
                    code(s.getOutcome()),
                    code(s.getUsageSource()),
                    s.getStartedAt() == null ? null : s.getStartedAt().toString(),
                    s.getEndedAt().toString(),
                    s.getDurationMillis(),
                    u == null ? null : u.getPromptTokens(),
                    u == null ? null : u.getCompletionTokens(),
                    u == null ? null : u.getCachedPromptTokens(),
                    u == null ? null : u.getReasoningTokens(),
                    u == null ? null : u.getCacheCreationPromptTokens(),
                    s.getEstimatedPromptTokens(),
                    s.getEstimatedCompletionTokens(),
                    s.getMissingUsage(),
                    s.getMissingUsageReason(),
                    s.getChunkCount(),
                    s.getContentChars(),
                    s.getSequenceGaps(),
                    s.getFinishReason(),
                    s.getUpstreamStatus(),
                    s.getErrorText(),
                    s.getPriceEntry(),
                    s.getUnpriced(),
                    s.getCostMicros(),
                    s.getCostMicros() == null ? null : Cost.usd(s.getCostMicros()));
        }

        private static String code(Enum<?> value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code GET /v1/keys/{key id}/line-items}: newest first (end time, then stream id). Also each
     * instance's part of a lookup by stream id (0 or 1 item).
     */
    public record LineItemList(String keyId, int limit, List<LineItem> lineItems) {}

    /**
     * One stream open right now. Tokens are the upstream's cumulative usage when a chunk carried it
     * ({@code usage_source} reported), else estimated from the characters so far; the cost so far
     * is priced either way (an exposure, not a bill), null when no price matches the model.
     */
    public record InFlightStream(
            String streamId,
            String keyId,
            String model,
            String upstream,
            String startedAt,
            String lastSeenAt,
            int chunks,
            long contentChars,
            String usageSource,
            long promptTokens,
            long completionTokens,
            Long costMicros,
            String costUsd) {}

    /** The open streams of one key, with their sums; unpriced streams add no cost. */
    public record InFlightKey(
            String keyId,
            int streams,
            long promptTokens,
            long completionTokens,
            long costMicros,
            String costUsd,
            List<InFlightStream> open) {}

    /**
     * {@code GET /v1/in-flight}: keys by cost so far, highest first, as of the last commit of each
     * instance (a fraction of a second behind).
     */
    public record InFlight(
            String at, int streams, long costMicros, String costUsd, List<InFlightKey> keys) {}

    /**
     * {@code GET /v1/missing-usage/rate}: the share of streams missing usage per model and upstream
     * in the rate windows still open, with the threshold that pages ({@code alerting} once it was
     * crossed with at least {@code min_streams}).
     */
    public record RateReport(int thresholdPermille, int minStreams, List<RateView> windows) {}

    /** One rate window of one (model, upstream). */
    public record RateView(
            String model,
            String upstream,
            String windowStart,
            String windowEnd,
            long streams,
            long missing,
            int sharePermille,
            boolean alerting) {}
}
