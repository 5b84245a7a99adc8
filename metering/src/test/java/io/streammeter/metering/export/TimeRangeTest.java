package io.streammeter.metering.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    @Test
    void shouldReadADateAsTheStartOfThatDayInUtc() {
        assertEquals(
                Instant.parse("2026-11-01T00:00:00Z"),
                TimeRange.parseBound("--from", "2026-11-01"));
    }

    @Test
    void shouldReadAnInstant() {
        assertEquals(
                Instant.parse("2026-11-01T10:15:00Z"),
                TimeRange.parseBound("--from", "2026-11-01T10:15:00Z"));
    }

    @Test
    void shouldNameTheFlagOfABadBound() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TimeRange.parseBound("--to", "yesterday"));
        assertTrue(error.getMessage().startsWith("--to 'yesterday'"), error.getMessage());
    }

    @Test
    void shouldBeHalfOpen() {
        var range =
                new TimeRange(
                        Instant.parse("2026-11-01T00:00:00Z"),
                        Instant.parse("2026-12-01T00:00:00Z"));
        assertTrue(range.contains(Instant.parse("2026-11-01T00:00:00Z")));
        assertFalse(range.contains(Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void shouldRefuseAnEmptyRange() {
        var t = Instant.parse("2026-11-01T00:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> new TimeRange(t, t));
    }
}
