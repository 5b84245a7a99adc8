package io.streammeter.metering.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.metering.budget.BudgetLedger.Kind;
import io.streammeter.metering.budget.BudgetLedger.Refused;
import io.streammeter.metering.budget.BudgetLedger.Scope;
import io.streammeter.metering.budget.BudgetLedger.Standing;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusalsTest {
    static final Instant NOW = Instant.parse("2026-12-05T23:59:58.200Z");
    static final Instant RESET = Instant.parse("2026-12-06T00:00:00Z");

    @Test
    @SuppressWarnings("unchecked")
    void shouldSayBudgetExceededWithTheResetTime() {
        Refused refused =
                new Refused(
                        new Scope(Kind.KEY, "k_1"),
                        new Standing(1_000_000, 900_000, 50_000, RESET),
                        80_000,
                        RESET);
        Map<String, Object> error = (Map<String, Object>) Refusals.body(refused).get("error");
        assertEquals("budget_exceeded", error.get("code"));
        assertEquals("rate_limit_error", error.get("type"));
        String message = (String) error.get("message");
        assertTrue(message.contains("resets at 2026-12-06T00:00:00Z"), message);
        assertTrue(message.contains("0.050000 USD left"), message);
        assertTrue(!message.contains("k_1"), "no key id in the message");
        assertEquals(2L, Refusals.retryAfterSeconds(refused, NOW));
    }

    @Test
    void shouldGiveNoRetryAfterForALifetimeBudget() {
        Refused refused =
                new Refused(
                        new Scope(Kind.CUSTOMER, "acme"), new Standing(10, 10, 0, null), 1, null);
        assertNull(Refusals.retryAfterSeconds(refused, NOW));
    }
}
