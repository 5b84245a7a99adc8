package io.streammeter.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The one way metering reads a point in time from people: an ISO instant or an ISO date. */
public final class DateOrInstant {
    private DateOrInstant() {}

    /**
     * {@code 2026-11-01T10:00:00Z} as is; {@code 2026-11-01} as its first instant in UTC.
     *
     * @throws DateTimeParseException when the text is neither
     */
    public static Instant parse(String text) {
        return text.length() == 10
                ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                : Instant.parse(text);
    }
}
