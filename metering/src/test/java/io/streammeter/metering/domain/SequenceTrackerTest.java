package io.streammeter.metering.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void shouldStayOneNumberWhileEventsArriveInOrder() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(1).with(2);

        assertEquals(new SequenceTracker(3, List.of()), seen);
        assertTrue(seen.contains(1));
        assertFalse(seen.contains(3));
    }

    @Test
    void shouldAbsorbEarlyNumbersOnceTheHoleFills() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(3).with(2);
        assertEquals(1, seen.missingBelow(4));
        assertEquals(4, seen.highWaterMark());

        assertEquals(new SequenceTracker(4, List.of()), seen.with(1));
    }

    @Test
    void shouldCountHolesBelowABound() {
        SequenceTracker seen = SequenceTracker.EMPTY.with(0).with(1).with(5);

        assertEquals(4, seen.missingBelow(7), "2, 3, 4 and 6");
        assertEquals(0, seen.missingBelow(2));
        assertEquals(seen, seen.with(5), "a duplicate changes nothing");
    }
}
