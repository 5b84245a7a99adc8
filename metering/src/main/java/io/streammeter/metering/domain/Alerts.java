package io.streammeter.metering.domain;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.MissingUsageRateAlert;
import io.streammeter.avro.StreamSummary;
import java.time.Instant;

/** The alert records, made from line items and rate windows. */
public final class Alerts {
    private Alerts() {}

    /**
     * Whether a line item raises an alert on {@code alerts.missing-usage}: it misses usage, or its
     * start never arrived (nobody to bill: {@link MissingUsageReason#START_MISSING}).
     */
    public static boolean raises(StreamSummary item) {
        return item.getMissingUsage() || startMissing(item);
    }

    /** A line item whose {@code StreamStarted} never arrived: no key id, no start time. */
    public static boolean startMissing(StreamSummary item) {
        return item.getStartedAt() == null;
    }

    /** The alert's reason: {@code start_missing} first, else why usage is missing. */
    public static String reason(StreamSummary item) {
        return startMissing(item)
                ? MissingUsageReason.START_MISSING.code()
                : item.getMissingUsageReason();
    }

    public static MissingUsageAlert missingUsage(StreamSummary item) {
        return MissingUsageAlert.newBuilder()
                .setStreamId(item.getStreamId())
                .setKeyId(item.getKeyId())
                .setModel(item.getModel())
                .setUpstream(item.getUpstream())
                .setOutcome(item.getOutcome())
                .setReason(reason(item))
                .setEstimatedPromptTokens(item.getEstimatedPromptTokens())
                .setEstimatedCompletionTokens(item.getEstimatedCompletionTokens())
                .setEndedAt(item.getEndedAt())
                .build();
    }

    /**
     * The rate-view key of a line item: {@code model|upstream}, {@value SpendKey#NONE} if unknown.
     */
    public static String rateKey(StreamSummary item) {
        return SpendKey.orNone(item.getModel())
                + SpendKey.SEPARATOR
                + SpendKey.orNone(item.getUpstream());
    }

    /** Whether a line item enters the rate view: first revisions of streams the upstream took. */
    public static boolean countsTowardsRate(StreamSummary item) {
        return item.getRevision() == 0
                && MissingUsageReason.countsTowardsShare(
                        item.getOutcome(), item.getUpstreamStatus());
    }

    public static MissingUsageRateAlert rate(
            String rateKey,
            long windowStart,
            long windowEnd,
            RateWindow window,
            int thresholdPermille) {
        int at = rateKey.lastIndexOf(SpendKey.SEPARATOR);
        return MissingUsageRateAlert.newBuilder()
                .setModel(rateKey.substring(0, at))
                .setUpstream(rateKey.substring(at + 1))
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setStreams(window.streams())
                .setStreamsMissingUsage(window.missing())
                .setSharePermille(window.sharePermille())
                .setThresholdPermille(thresholdPermille)
                .build();
    }

    public static String rateAlertKey(String rateKey, long windowStart) {
        return rateKey + SpendKey.SEPARATOR + windowStart;
    }
}
