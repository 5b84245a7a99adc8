package io.streammeter.metering.domain;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenStreamTest {
    static final Duration ORPHAN = Duration.ofMinutes(10);
    static final Duration GAP = Duration.ofMinutes(2);

    @Test
    void shouldBeCompleteWithStartEndAndEveryEventBetween() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(ended("s1", 2, T0, usage(1, 1)), 2);
        assertFalse(fold.isComplete(), "chunk 1 missing");
        assertEquals(1, fold.sequenceGaps());

        assertTrue(fold.fold(chunk("s1", 1, T0), 3).isComplete());
    }

    @Test
    void shouldRefuseDuplicatesAndEventsAfterTheEnd() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(ended("s1", 2, T0, usage(1, 1)), 2);

        assertEquals(Admission.DUPLICATE, fold.admit(started("s1", T0)));
        assertEquals(Admission.AFTER_END, fold.admit(chunk("s1", 3, T0)));
        assertEquals(Admission.AFTER_END, fold.admit(ended("s1", 5, T0, usage(1, 1))));
        assertEquals(Admission.NEW, fold.admit(chunk("s1", 1, T0)));
    }

    @Test
    void shouldWaitTheOrphanTimeoutWithoutEndAndTheGapTimeoutWithOne() {
        OpenStream open = OpenStream.empty("s1").fold(started("s1", T0), 1_000);
        assertEquals(1_000 + ORPHAN.toMillis(), open.deadline(ORPHAN, GAP, 0));

        OpenStream ended = open.fold(ended("s1", 3, T0, usage(1, 1)), 2_000);
        assertEquals(2_000 + GAP.toMillis(), ended.deadline(ORPHAN, GAP, 0));
    }

    @Test
    void shouldNeverCountATimeoutFromBeforeTheProcessorStarted() {
        OpenStream open = OpenStream.empty("s1").fold(started("s1", T0), 1_000);

        assertEquals(50_000 + ORPHAN.toMillis(), open.deadline(ORPHAN, GAP, 50_000));
    }

    @Test
    void shouldWeighAFoldByWhatItHolds() {
        OpenStream empty = OpenStream.empty("s1");
        OpenStream started = empty.fold(started("s1", T0), 1);
        OpenStream holed = started;
        for (int seq = 2; seq <= 40; seq += 2) {
            holed = holed.fold(chunk("s1", seq, T0), 2);
        }

        assertTrue(started.estimatedBytes() > empty.estimatedBytes(), "start, its strings, tags");
        assertEquals(
                started.estimatedBytes() + 16L * 20,
                holed.estimatedBytes(),
                "16 bytes a run of sequence numbers");
        assertTrue(holed.estimatedBytes() < 2_000, "a typical fold weighs hundreds of bytes");
    }
}
