package io.streammeter.metering.domain;

import io.streammeter.avro.StreamSummary;
import java.util.List;
import java.util.Objects;

/**
 * A line item the fold emitted, with the revision it supersedes (null for a stream's first line
 * item). Downstream, spend takes the previous revision back and adds the current one.
 */
public record SummaryChange(StreamSummary current, StreamSummary previous) {

    public SummaryChange {
        Objects.requireNonNull(current, "current");
    }

    /** Whether this line item replaces an earlier revision of the same stream's. */
    public boolean isCorrection() {
        return previous != null;
    }

    /** The spend entries this change makes: retract the previous revision, add the current. */
    public List<SpendEntry> spendEntries() {
        SpendEntry add = new SpendEntry(SpendEntry.Effect.ADD, current);
        return previous == null
                ? List.of(add)
                : List.of(new SpendEntry(SpendEntry.Effect.RETRACT, previous), add);
    }
}
