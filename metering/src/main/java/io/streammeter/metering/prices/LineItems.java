package io.streammeter.metering.prices;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.UsageSource;
import io.streammeter.metering.domain.ChunkTotals;
import io.streammeter.metering.domain.MissingUsageReason;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.StreamEnd;
import io.streammeter.metering.domain.StreamStart;
import io.streammeter.metering.domain.Tokens;
import io.streammeter.metering.domain.UsageEstimate;
import io.streammeter.prices.Cost;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceTable;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a stream's fold into its billing line item. Rules: the end's word first (its usage, counts
 * and outcome), else what the chunks said (cumulative usage, summed counts) and outcome {@code
 * ORPHANED}; model as reported, else as requested; priced at the line item's end time; estimates
 * only when usage is missing. Partial usage (input final, output not: an Anthropic stream cut after
 * {@code message_start}) bills its input, estimates its output and is flagged missing usage, like a
 * stream cut before its usage. A stream whose start never arrived has no key id and is flagged
 * {@code start_missing} downstream ({@link Alerts}).
 */
public final class LineItems {
    private LineItems() {}

    public static StreamSummary of(OpenStream fold, PriceTable prices, int revision) {
        StreamStart start = fold.start();
        StreamEnd end = fold.end();
        Outcome outcome = end != null ? end.outcome() : Outcome.ORPHANED;
        long endedAt = end != null ? end.endedAt() : fold.orphanedAt();
        Tokens reported = end != null && end.usage() != null ? end.usage() : fold.chunks().usage();
        boolean partial = reported != null && reported.partial();
        Tokens usage = reported == null ? null : reported.finalPart();
        String modelRequested = start == null ? null : start.modelRequested();
        String model =
                end != null && end.modelReported() != null ? end.modelReported() : modelRequested;
        Integer status = end == null ? null : end.upstreamStatus();
        Optional<MissingUsageReason> missing =
                MissingUsageReason.classify(outcome, status, usage != null && !partial);
        UsageEstimate estimate = UsageEstimate.NONE;
        if (missing.isPresent()) {
            estimate = partial ? estimateOutput(fold, reported) : estimate(fold);
        }
        Optional<PriceEntry> price =
                usage == null
                        ? Optional.empty()
                        : prices.find(model, Instant.ofEpochMilli(endedAt));
        ChunkTotals chunks = fold.chunks();
        return StreamSummary.newBuilder()
                .setStreamId(fold.streamId())
                .setRevision(revision)
                .setKeyId(start == null ? null : start.keyId())
                .setApiShape(start == null ? ApiShape.UNKNOWN : start.apiShape())
                .setModel(model)
                .setModelRequested(modelRequested)
                .setUser(start == null ? null : start.user())
                .setTags(start == null ? Map.of() : start.tags())
                .setUpstream(start == null ? null : start.upstream())
                .setStreaming(start == null || start.streaming())
                .setOutcome(outcome)
                .setStartedAt(start == null ? null : Instant.ofEpochMilli(start.startedAt()))
                .setEndedAt(Instant.ofEpochMilli(endedAt))
                .setUsage(usage == null ? null : usage.toUsage())
                .setUsageSource(source(usage, estimate))
                .setEstimatedPromptTokens(estimate.promptTokens())
                .setEstimatedCompletionTokens(estimate.completionTokens())
                .setMissingUsage(missing.isPresent())
                .setMissingUsageReason(missing.map(MissingUsageReason::code).orElse(null))
                .setChunkCount(end != null ? end.chunkCount() : chunks.count())
                .setContentChars(end != null ? end.contentChars() : chunks.contentChars())
                .setToolArgumentChars(
                        end != null ? end.toolArgumentChars() : chunks.toolArgumentChars())
                // Chunks the relay shed took no sequence number: lost all the same.
                .setSequenceGaps(
                        (int)
                                Math.min(
                                        Integer.MAX_VALUE,
                                        fold.sequenceGaps() + (end == null ? 0 : end.chunksShed())))
                .setFinishReason(
                        end != null && end.finishReason() != null
                                ? end.finishReason()
                                : chunks.lastFinishReason())
                .setUpstreamStatus(status)
                .setErrorText(end == null ? null : end.errorText())
                .setDurationMillis(end == null ? null : end.durationMillis())
                .setCostMicros(price.map(p -> Cost.micros(usage.counts(), p)).orElse(null))
                .setPriceEntry(price.map(PriceEntry::label).orElse(null))
                .setUnpriced(usage != null && price.isEmpty())
                .build();
    }

    static UsageEstimate estimate(OpenStream fold) {
        StreamEnd end = fold.end();
        ChunkTotals chunks = fold.chunks();
        return UsageEstimate.of(
                fold.start() == null ? 0 : fold.start().promptChars(),
                end != null ? end.contentChars() : chunks.contentChars(),
                end != null ? end.toolArgumentChars() : chunks.toolArgumentChars(),
                end != null ? end.reasoningChars() : chunks.reasoningChars());
    }

    /**
     * The output of a stream whose input is reported: estimated from what was delivered, never
     * below the upstream's provisional count.
     */
    static UsageEstimate estimateOutput(OpenStream fold, Tokens partial) {
        UsageEstimate delivered = estimate(fold);
        return new UsageEstimate(
                0, Math.max(delivered.completionTokens(), partial.completionTokens()));
    }

    private static UsageSource source(Tokens usage, UsageEstimate estimate) {
        if (usage != null) {
            return UsageSource.REPORTED;
        }
        return estimate.total() > 0 ? UsageSource.ESTIMATED : UsageSource.NONE;
    }
}
