package io.streammeter.metering.domain;

/**
 * Streams and streams missing usage in one rate window of one (model, upstream). The window alerts
 * once, on the line item that first takes the share above the threshold with at least the minimum
 * number of streams; {@code crossed} marks that update.
 */
public record RateWindow(long streams, long missing, boolean alerting, boolean crossed) {

    public static final RateWindow EMPTY = new RateWindow(0, 0, false, false);

    public RateWindow count(boolean missingUsage, int thresholdPermille, long minStreams) {
        long nextStreams = streams + 1;
        long nextMissing = missing + (missingUsage ? 1 : 0);
        boolean exceeds =
                nextStreams >= minStreams && nextMissing * 1000 > thresholdPermille * nextStreams;
        return new RateWindow(nextStreams, nextMissing, alerting || exceeds, exceeds && !alerting);
    }

    /** Share missing usage in per mille, rounded down. */
    public int sharePermille() {
        return streams == 0 ? 0 : (int) (missing * 1000 / streams);
    }
}
