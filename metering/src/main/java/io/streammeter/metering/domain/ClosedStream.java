package io.streammeter.metering.domain;

import io.streammeter.avro.StreamSummary;

/**
 * The marker a stream leaves once its line item is out, kept for the dedup retention so that a late
 * duplicate changes nothing. A stream closed before it was complete (orphaned, or ended with events
 * missing) also keeps its fold and its last line item, so a late start or end can correct it.
 *
 * @param revision revision of the last line item emitted
 * @param fold the fold, when the stream was closed incomplete; null otherwise
 * @param lastLineItem the last line item, kept with the fold; null otherwise
 */
public record ClosedStream(int revision, OpenStream fold, StreamSummary lastLineItem) {

    /**
     * Most runs of sequence numbers a closed stream's fold keeps: it waits for a late start or end
     * for days, not for every lost chunk, so its holes are mostly given up (still counted).
     */
    public static final int MARKER_RUNS = 8;

    public static ClosedStream of(OpenStream fold, StreamSummary lineItem) {
        return fold.isComplete()
                ? new ClosedStream(lineItem.getRevision(), null, null)
                : new ClosedStream(lineItem.getRevision(), fold.compacted(MARKER_RUNS), lineItem);
    }

    public boolean correctable() {
        return fold != null;
    }

    public ClosedStream withFold(OpenStream next) {
        return new ClosedStream(revision, next, lastLineItem);
    }
}
