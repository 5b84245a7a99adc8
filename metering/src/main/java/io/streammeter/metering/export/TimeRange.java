package io.streammeter.metering.export;

import io.streammeter.config.DateOrInstant;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A half-open range of instants, {@code [from, to)}. Bounds are ISO-8601 instants ({@code
 * 2026-11-01T00:00:00Z}) or dates ({@code 2026-11-01}), a date meaning its first instant in UTC, so
 * {@code --from 2026-11-01 --to 2026-12-01} is the whole of November.
 */
public record TimeRange(Instant from, Instant to) {

    public TimeRange {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException(
                    "--from (" + from + ") must be before --to (" + to + ")");
        }
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }

    /** Parses an ISO instant or an ISO date (start of that day, UTC). */
    public static Instant parseBound(String flag, String text) {
        try {
            return DateOrInstant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    flag
                            + " '"
                            + text
                            + "' is neither an ISO date (2026-11-01) nor an ISO instant"
                            + " (2026-11-01T00:00:00Z)");
        }
    }
}
