package io.streammeter.metering.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streammeter.metering.query.QueryParams.Granularity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
    static final Instant NOW = Instant.parse("2025-03-01T10:17:00Z");

    @Test
    void shouldReadASpendQueryWithDatesOrInstants() {
        var query =
                QueryParams.spend(
                        Map.of("key_id", "k1", "from", "2025-03-01", "to", "2025-03-01T12:00:00Z")
                                ::get);

        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), query.from());
        assertEquals(Granularity.HOUR, query.granularity());
    }

    @Test
    void shouldNameTheParameterThatIsWrong() {
        assertParameter("key_id", Map.of("from", "2025-03-01", "to", "2025-03-02"));
        assertParameter("from", Map.of("key_id", "k", "to", "2025-03-02"));
        assertParameter("to", Map.of("key_id", "k", "from", "2025-03-01", "to", "2025-03-01"));
        assertParameter(
                "from", Map.of("key_id", "k", "from", "2025-03-01T10:30:00Z", "to", "2025-03-02"));
        assertParameter(
                "to",
                Map.of(
                        "key_id",
                        "k",
                        "from",
                        "2025-03-01",
                        "to",
                        "2025-03-02T10:00:00Z",
                        "granularity",
                        "day"));
        assertParameter(
                "granularity",
                Map.of(
                        "key_id",
                        "k",
                        "from",
                        "2025-03-01",
                        "to",
                        "2025-03-02",
                        "granularity",
                        "week"));
        assertParameter("to", Map.of("key_id", "k", "from", "2020-01-01", "to", "2025-03-02"));
    }

    @Test
    void shouldDefaultAlertsToTheLastHourAndBoundLimits() {
        var alerts = QueryParams.alerts(Map.<String, String>of()::get, NOW);
        assertEquals(NOW.minusSeconds(3600), alerts.since());
        assertEquals(100, alerts.limit());
        var e =
                assertThrows(
                        ApiError.class,
                        () ->
                                QueryParams.top(
                                        Map.of(
                                                        "from",
                                                        "2025-03-01",
                                                        "to",
                                                        "2025-03-02",
                                                        "limit",
                                                        "1001")
                                                ::get));
        assertEquals("limit", e.parameter());
    }

    private static void assertParameter(String parameter, Map<String, String> params) {
        ApiError e = assertThrows(ApiError.class, () -> QueryParams.spend(params::get));
        assertEquals(400, e.status());
        assertEquals(parameter, e.parameter(), e.getMessage());
    }
}
