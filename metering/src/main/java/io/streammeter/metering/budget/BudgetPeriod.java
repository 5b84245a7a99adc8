package io.streammeter.metering.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A budget period: a calendar UTC day, a calendar UTC month, or the key's whole life. Spend is
 * counted per period by the line item's time; a period's budget resets at {@link #resetsAt}.
 */
public enum BudgetPeriod {
    DAY,
    MONTH,
    LIFETIME;

    /** The period named on a {@code PlatformKey} or {@code CustomerBudget} ({@code day}, …). */
    public static BudgetPeriod parse(String name) {
        if (name == null) {
            return LIFETIME;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "day" -> DAY;
            case "month" -> MONTH;
            case "lifetime" -> LIFETIME;
            default ->
                    throw new IllegalArgumentException(
                            "budget period must be day, month or lifetime: " + name);
        };
    }

    /**
     * A stable name of the period containing {@code at}: {@code 2026-12-05}, {@code 2026-12},
     * {@code all}.
     */
    public String id(Instant at) {
        LocalDate date = at.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (this) {
            case DAY -> date.toString();
            case MONTH -> date.toString().substring(0, 7);
            case LIFETIME -> "all";
        };
    }

    /** When the period containing {@code at} ends (exclusive); null for a lifetime budget. */
    public Instant resetsAt(Instant at) {
        LocalDate date = at.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (this) {
            case DAY -> date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            case MONTH ->
                    date.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            case LIFETIME -> null;
        };
    }

    /** Seconds from {@code now} to the reset, at least 1; null for a lifetime budget. */
    public Long secondsToReset(Instant now) {
        Instant reset = resetsAt(now);
        return reset == null ? null : Math.max(1, now.until(reset, ChronoUnit.SECONDS));
    }
}
