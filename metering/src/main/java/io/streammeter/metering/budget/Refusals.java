package io.streammeter.metering.budget;

import io.streammeter.metering.budget.BudgetLedger.Refused;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused reservation as the caller sees it: 429, OpenAI-style error JSON with code {@code
 * budget_exceeded} and the reset time, and {@code Retry-After}. Amounts are in the message as USD;
 * nothing names another key or customer than the caller's own scope.
 */
public final class Refusals {
    public static final int STATUS = 429;

    private Refusals() {}

    /** The error body: {@code {"error":{"type":"rate_limit_error","code":"budget_exceeded",…}}}. */
    public static Map<String, Object> body(Refused refused) {
        String scope = refused.scope().kind() == BudgetLedger.Kind.KEY ? "key" : "customer";
        String resets =
                refused.resetsAt() == null ? "never (lifetime budget)" : "at " + refused.resetsAt();
        String message =
                String.format(
                        "The %s's budget of %s USD has %s USD left after %s USD billed and %s USD"
                                + " held for streams in flight; this request may cost up to %s"
                                + " USD. The budget resets %s.",
                        scope,
                        usd(refused.standing().budgetMicros()),
                        usd(refused.standing().remainingMicros()),
                        usd(refused.standing().billedMicros()),
                        usd(refused.standing().heldMicros()),
                        usd(refused.worstMicros()),
                        resets);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", "rate_limit_error");
        error.put("param", null);
        error.put("code", "budget_exceeded");
        return Map.of("error", error);
    }

    /**
     * {@code Retry-After} in seconds: until the period resets, at least 1; null for a lifetime
     * budget (retrying will not help until spend settles below the budget or the budget grows).
     */
    public static Long retryAfterSeconds(Refused refused, Instant now) {
        if (refused.resetsAt() == null) {
            return null;
        }
        return Math.max(
                1, (long) Math.ceil(now.until(refused.resetsAt(), ChronoUnit.MILLIS) / 1000.0));
    }

    private static String usd(long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
