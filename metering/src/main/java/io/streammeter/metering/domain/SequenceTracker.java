package io.streammeter.metering.domain;

import java.util.Arrays;

/**
 * The sequence numbers seen for one stream, as intervals: every number below {@code nextExpected},
 * plus the runs above it that arrived early ({@code runs} holds {@code [from, to)} pairs, sorted,
 * disjoint, not touching). Events normally arrive in order, so there are no runs and the tracker is
 * one number; a lost event leaves one hole and one run that every later event extends, so the
 * tracker stays a few numbers however long the stream gets.
 *
 * <p>Bounded: beyond {@link #MAX_RUNS} runs the smallest hole is given up: its numbers count as
 * missing for good ({@code abandoned}) and a late event in it is taken for a duplicate. A stream
 * with that many holes lost most of its chunk facts already; its usage comes from its end.
 *
 * @param runs {@code [from0, to0, from1, to1, …]}, every {@code from > nextExpected}
 * @param abandoned numbers in holes given up, all below the highest run's end
 */
public record SequenceTracker(long nextExpected, long[] runs, long abandoned) {

    /** Most early runs (holes) one stream keeps, so one stream's fold stays under ~4 KB. */
    public static final int MAX_RUNS = 256;

    public static final SequenceTracker EMPTY = new SequenceTracker(0, new long[0], 0);

    public SequenceTracker {
        runs = runs == null ? new long[0] : runs;
        if (runs.length % 2 != 0) {
            throw new IllegalArgumentException("runs must be [from, to) pairs");
        }
    }

    public boolean contains(long sequence) {
        if (sequence < nextExpected) {
            return true;
        }
        int at = runAtOrBefore(sequence);
        return at >= 0 && sequence < runs[2 * at + 1];
    }

    /** The tracker with {@code sequence} added; the same tracker if it was already there. */
    public SequenceTracker with(long sequence) {
        return with(sequence, MAX_RUNS);
    }

    /** As {@link #with(long)}, keeping at most {@code maxRuns} runs. */
    SequenceTracker with(long sequence, int maxRuns) {
        if (sequence < 0 || contains(sequence)) {
            return this;
        }
        if (sequence == nextExpected) {
            if (runs.length > 0 && runs[0] == sequence + 1) {
                return new SequenceTracker(
                        runs[1], Arrays.copyOfRange(runs, 2, runs.length), abandoned);
            }
            return new SequenceTracker(sequence + 1, runs, abandoned);
        }
        int before = runAtOrBefore(sequence); // index of the run ending at or before sequence
        boolean joinsBefore = before >= 0 && runs[2 * before + 1] == sequence;
        int after = before + 1;
        boolean joinsAfter = after < runs.length / 2 && runs[2 * after] == sequence + 1;
        long[] next;
        if (joinsBefore && joinsAfter) {
            next = new long[runs.length - 2];
            System.arraycopy(runs, 0, next, 0, 2 * before + 1);
            System.arraycopy(
                    runs, 2 * after + 1, next, 2 * before + 1, runs.length - 2 * after - 1);
        } else if (joinsBefore) {
            next = runs.clone();
            next[2 * before + 1] = sequence + 1;
        } else if (joinsAfter) {
            next = runs.clone();
            next[2 * after] = sequence;
        } else {
            next = new long[runs.length + 2];
            System.arraycopy(runs, 0, next, 0, 2 * after);
            next[2 * after] = sequence;
            next[2 * after + 1] = sequence + 1;
            System.arraycopy(runs, 2 * after, next, 2 * after + 2, runs.length - 2 * after);
        }
        return new SequenceTracker(nextExpected, next, abandoned).bounded(maxRuns);
    }

    /**
     * This tracker with at most {@code maxRuns} runs: the smallest holes are given up first (the
     * one below the first run included), their numbers counted in {@code abandoned}.
     */
    public SequenceTracker bounded(int maxRuns) {
        SequenceTracker t = this;
        while (t.runs.length / 2 > maxRuns) {
            t = t.withoutSmallestHole();
        }
        return t;
    }

    private SequenceTracker withoutSmallestHole() {
        int smallest = 0; // hole i lies just below run i
        long smallestSize = runs[0] - nextExpected;
        for (int i = 1; i < runs.length / 2; i++) {
            long size = runs[2 * i] - runs[2 * i - 1];
            if (size < smallestSize) {
                smallest = i;
                smallestSize = size;
            }
        }
        if (smallest == 0) {
            return new SequenceTracker(
                    runs[1], Arrays.copyOfRange(runs, 2, runs.length), abandoned + smallestSize);
        }
        long[] next = new long[runs.length - 2];
        System.arraycopy(runs, 0, next, 0, 2 * smallest - 1);
        System.arraycopy(
                runs, 2 * smallest + 1, next, 2 * smallest - 1, runs.length - 2 * smallest - 1);
        return new SequenceTracker(nextExpected, next, abandoned + smallestSize);
    }

    /** How many numbers in {@code [0, bound)} were never seen. */
    public long missingBelow(long bound) {
        if (bound <= nextExpected) {
            return abandonedBelow(bound);
        }
        long seenAbove = 0;
        for (int i = 0; i < runs.length; i += 2) {
            if (runs[i] >= bound) {
                break;
            }
            seenAbove += Math.min(runs[i + 1], bound) - runs[i];
        }
        return bound - nextExpected - seenAbove + abandonedBelow(bound);
    }

    /** Abandoned numbers are all below the last run's end; a bound below it counts them all. */
    private long abandonedBelow(long bound) {
        return abandoned == 0 || bound <= 0 ? 0 : abandoned;
    }

    /** One past the highest number seen; 0 when none. */
    public long highWaterMark() {
        return runs.length == 0 ? nextExpected : runs[runs.length - 1];
    }

    /** How many early runs this tracker keeps: the measure of its size. */
    public int runCount() {
        return runs.length / 2;
    }

    /** Index of the last run starting at or before {@code sequence}; -1 if none. */
    private int runAtOrBefore(long sequence) {
        int lo = 0;
        int hi = runs.length / 2 - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (runs[2 * mid] <= sequence) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceTracker t
                && t.nextExpected == nextExpected
                && t.abandoned == abandoned
                && Arrays.equals(t.runs, runs);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nextExpected) * 31 + Arrays.hashCode(runs) + Long.hashCode(abandoned);
    }

    @Override
    public String toString() {
        return "SequenceTracker[next="
                + nextExpected
                + ", runs="
                + Arrays.toString(runs)
                + (abandoned > 0 ? ", abandoned=" + abandoned : "")
                + "]";
    }

    /** The runs, copied: the array is shared between trackers and must not change. */
    @Override
    public long[] runs() {
        return runs.clone();
    }
}
