package io.streammeter.metering.query;

import io.streammeter.config.DateOrInstant;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads and checks the query parameters of each route; anything wrong becomes a 400 naming the
 * parameter. Times are ISO-8601 instants ({@code 2025-01-31T10:00:00Z}) or UTC dates ({@code
 * 2025-01-31}, meaning its midnight).
 */
public final class QueryParams {
    static final int MAX_BUCKETS = 1000;
    static final int MAX_LIMIT = 1000;

    private QueryParams() {}

    /** Bucket width of a spend report. */
    public enum Granularity {
        HOUR(Duration.ofHours(1)),
        DAY(Duration.ofDays(1));

        private final Duration width;

        Granularity(Duration width) {
            this.width = width;
        }

        public Duration width() {
            return width;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code GET /v1/spend}. */
    public record SpendQuery(String keyId, Instant from, Instant to, Granularity granularity) {}

    /** {@code GET /v1/spend/top}. */
    public record TopQuery(Instant from, Instant to, int limit) {}

    /** {@code GET /v1/alerts/missing-usage}. */
    public record AlertsQuery(Instant since, int limit) {}

    public static SpendQuery spend(Function<String, String> params) {
        String keyId = params.apply("key_id");
        if (keyId == null || keyId.isBlank()) {
            throw ApiError.badParameter("key_id", "is required");
        }
        if (keyId.length() > 200 || keyId.indexOf('|') >= 0) {
            throw ApiError.badParameter("key_id", "is not a key id");
        }
        Granularity granularity = granularity(params.apply("granularity"));
        Instant from = instant("from", params.apply("from"));
        Instant to = instant("to", params.apply("to"));
        checkRange(from, to, granularity);
        return new SpendQuery(keyId, from, to, granularity);
    }

    public static TopQuery top(Function<String, String> params) {
        Instant from = instant("from", params.apply("from"));
        Instant to = instant("to", params.apply("to"));
        checkRange(from, to, Granularity.HOUR);
        return new TopQuery(from, to, limit(params.apply("limit"), 10));
    }

    public static AlertsQuery alerts(Function<String, String> params, Instant now) {
        String since = params.apply("since");
        Instant from = since == null ? now.minus(Duration.ofHours(1)) : instant("since", since);
        return new AlertsQuery(from, limit(params.apply("limit"), 100));
    }

    static Granularity granularity(String text) {
        if (text == null) {
            return Granularity.HOUR;
        }
        return switch (text) {
            case "hour" -> Granularity.HOUR;
            case "day" -> Granularity.DAY;
            default ->
                    throw ApiError.badParameter(
                            "granularity", "must be hour or day, got '" + text + "'");
        };
    }

    static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            throw ApiError.badParameter(name, "is required (an ISO-8601 instant or a date)");
        }
        try {
            return DateOrInstant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiError.badParameter(
                    name,
                    "must be an ISO-8601 instant (2025-01-31T10:00:00Z) or a date, got '"
                            + text
                            + "'");
        }
    }

    static int limit(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badParameter(
                "limit", "must be a whole number in 1.." + MAX_LIMIT + ", got '" + text + "'");
    }

    /**
     * A range that starts before the oldest retained hour would silently answer zeros for what was
     * dropped: refuse it, saying the retention.
     */
    static void checkRetained(Instant from, Instant oldest, Duration retention) {
        if (from.isBefore(oldest.truncatedTo(ChronoUnit.HOURS))) {
            throw ApiError.badParameter(
                    "from",
                    "is older than the spend retention ("
                            + retention.toDays()
                            + " days, spend-retention): the earliest answerable hour is "
                            + oldest.truncatedTo(ChronoUnit.HOURS)
                            + "; use the export for older ranges");
        }
    }

    private static void checkRange(Instant from, Instant to, Granularity granularity) {
        long width = granularity.width().toMillis();
        if (from.toEpochMilli() % width != 0) {
            throw ApiError.badParameter("from", "must be a whole " + granularity.code() + " (UTC)");
        }
        if (to.toEpochMilli() % width != 0) {
            throw ApiError.badParameter("to", "must be a whole " + granularity.code() + " (UTC)");
        }
        if (!to.isAfter(from)) {
            throw ApiError.badParameter("to", "must be after from");
        }
        if ((to.toEpochMilli() - from.toEpochMilli()) / width > MAX_BUCKETS) {
            throw ApiError.badParameter(
                    "to", "range holds more than " + MAX_BUCKETS + " " + granularity.code() + "s");
        }
    }
}
