package io.streammeter.metering.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
    private static final Instant AT = Instant.parse("2026-12-31T23:59:30Z");

    @Test
    void shouldResetAtTheNextCalendarUtcDayOrMonth() {
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), BudgetPeriod.DAY.resetsAt(AT));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), BudgetPeriod.MONTH.resetsAt(AT));
        assertEquals(
                Instant.parse("2026-03-01T00:00:00Z"),
                BudgetPeriod.MONTH.resetsAt(Instant.parse("2026-02-28T12:00:00Z")));
        assertNull(BudgetPeriod.LIFETIME.resetsAt(AT));
        assertEquals(30L, BudgetPeriod.DAY.secondsToReset(AT));
    }

    @Test
    void shouldNamePeriodsByTheirUtcDate() {
        assertEquals("2026-12-31", BudgetPeriod.DAY.id(AT));
        assertEquals("2026-12", BudgetPeriod.MONTH.id(AT));
        assertEquals("all", BudgetPeriod.LIFETIME.id(AT));
        assertEquals("2027-01-01", BudgetPeriod.DAY.id(Instant.parse("2027-01-01T00:00:00Z")));
    }

    @Test
    void shouldParseTheKeyRegistryNames() {
        assertEquals(BudgetPeriod.DAY, BudgetPeriod.parse("day"));
        assertEquals(BudgetPeriod.MONTH, BudgetPeriod.parse("MONTH"));
        assertEquals(BudgetPeriod.LIFETIME, BudgetPeriod.parse(null));
        assertThrows(IllegalArgumentException.class, () -> BudgetPeriod.parse("week"));
    }
}
