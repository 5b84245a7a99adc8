package io.streammeter.metering.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The sequence numbers seen for one stream: every number below {@code nextExpected}, plus the
 * sorted numbers above it that arrived early. Events normally arrive in order, so {@code ahead} is
 * empty and the whole tracker is one number.
 */
public record SequenceTracker(long nextExpected, List<Long> ahead) {

    public static final SequenceTracker EMPTY = new SequenceTracker(0, List.of());

    public SequenceTracker {
        ahead = List.copyOf(ahead);
    }

    public boolean contains(long sequence) {
        return sequence < nextExpected || ahead.contains(sequence);
    }

    /** The tracker with {@code sequence} added; the same tracker if it was already there. */
    public SequenceTracker with(long sequence) {
        if (sequence < 0 || contains(sequence)) {
            return this;
        }
        if (sequence != nextExpected) {
            List<Long> more = new ArrayList<>(ahead);
            more.add(sequence);
            more.sort(null);
            return new SequenceTracker(nextExpected, more);
        }
        long next = nextExpected + 1;
        int absorbed = 0;
        while (absorbed < ahead.size() && ahead.get(absorbed) == next) {
            next++;
            absorbed++;
        }
        return new SequenceTracker(next, ahead.subList(absorbed, ahead.size()));
    }

    /** How many numbers in {@code [0, bound)} were never seen. */
    public long missingBelow(long bound) {
        if (bound <= nextExpected) {
            return 0;
        }
        long seenAbove = ahead.stream().filter(s -> s < bound).count();
        return bound - nextExpected - seenAbove;
    }

    /** One past the highest number seen; 0 when none. */
    public long highWaterMark() {
        return ahead.isEmpty() ? nextExpected : ahead.get(ahead.size() - 1) + 1;
    }
}
