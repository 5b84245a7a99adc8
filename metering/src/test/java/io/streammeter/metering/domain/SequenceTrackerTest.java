package io.streammeter.metering.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    static SequenceTracker tracker(long next, long... runs) {
        return new SequenceTracker(next, runs, 0);
    }

    @Test
    void shouldStayOneNumberWhileEventsArriveInOrder() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(1).with(2);

        assertEquals(tracker(3), seen);
        assertTrue(seen.contains(1));
        assertFalse(seen.contains(3));
    }

    @Test
    void shouldAbsorbEarlyNumbersOnceTheHoleFills() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(3).with(2);
        assertEquals(tracker(1, 2, 4), seen, "one run: 2 and 3");
        assertEquals(1, seen.missingBelow(4));
        assertEquals(4, seen.highWaterMark());

        assertEquals(tracker(4), seen.with(1));
    }

    @Test
    void shouldCountHolesBelowABound() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(1).with(5);

        assertEquals(4, seen.missingBelow(7), "2, 3, 4 and 6");
        assertEquals(0, seen.missingBelow(2));
        assertEquals(seen, seen.with(5), "a duplicate changes nothing");
    }

    @Test
    void shouldJoinTwoRunsWhenTheNumberBetweenThemArrives() {
        SequenceTracker seen = tracker(1, 3, 5, 6, 8);

        assertEquals(tracker(1, 3, 8), seen.with(5));
        assertEquals(tracker(1, 3, 6, 7, 8), tracker(1, 3, 5, 7, 8).with(5));
        assertEquals(tracker(1, 2, 5, 6, 8), seen.with(2));
        assertEquals(tracker(1, 3, 5, 6, 8, 10, 11), seen.with(10));
        assertTrue(seen.with(10).contains(10));
        assertFalse(seen.with(10).contains(9));
    }

    @Test
    void shouldKeepOneRunForALongStreamWithOneHole() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(1);
        for (long s = 3; s <= 10_000; s++) {
            seen = seen.with(s);
        }

        assertEquals(tracker(2, 3, 10_001), seen);
        assertEquals(1, seen.missingBelow(10_001));
        assertEquals(tracker(10_001), seen.with(2));
    }

    @Test
    void shouldGiveUpTheSmallestHoleBeyondTheBound() {
        // holes: {1} below the first run, {3, 4} between runs, {6} between runs
        SequenceTracker seen = tracker(1, 2, 3, 5, 6, 7, 8);

        SequenceTracker bounded = seen.bounded(2);

        assertEquals(new SequenceTracker(3, new long[] {5, 6, 7, 8}, 1), bounded);
        assertEquals(4, bounded.missingBelow(8), "1 given up, 3, 4 and 6 still awaited");
        assertTrue(bounded.contains(1), "a late event in a given-up hole is a duplicate");
        assertEquals(new SequenceTracker(3, new long[] {5, 8}, 2), bounded.bounded(1));
    }

    @Test
    void shouldNeverKeepMoreThanTheMostRuns() {
        SequenceTracker seen = SequenceTracker.EMPTY;
        for (long s = 0; s < 10 * SequenceTracker.MAX_RUNS; s += 2) {
            seen = seen.with(s);
        }

        assertTrue(seen.runCount() <= SequenceTracker.MAX_RUNS, seen.toString());
        assertEquals(5 * SequenceTracker.MAX_RUNS - 1, seen.missingBelow(seen.highWaterMark()));
    }
}
