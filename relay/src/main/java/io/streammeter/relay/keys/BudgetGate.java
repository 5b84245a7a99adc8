package io.streammeter.relay.keys;

import io.streammeter.avro.PlatformKey;
import io.streammeter.relay.config.BudgetUnreachable;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a platform key may still spend, decided after its body is read and before the upstream is
 * contacted: first its rate limits (counted by this relay), then its budgets (reserved at metering,
 * {@link BudgetClient}). A refusal says which limit and when it resets; nothing here names a key.
 */
public final class BudgetGate {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetGate.class);

    /** Why a request is stopped. */
    public enum Reason {
        BUDGET_EXCEEDED,
        REQUESTS_PER_MINUTE,
        TOKENS_PER_MINUTE,
        BUDGET_UNAVAILABLE
    }

    /** The gate's answer. */
    public sealed interface Decision {}

    /** Go on to the upstream. */
    public record Go() implements Decision {}

    /** Refused: {@code retryAfter} in seconds, null when waiting will not help. */
    public record Stop(Reason reason, String message, String retryAfter) implements Decision {}

    private static final Go GO = new Go();

    private final RateLimits rates;
    private final BudgetClient budgets;
    private final BudgetUnreachable whenUnreachable;
    private final long maxOutputTokens;
    private final Clock clock;

    /**
     * @param budgets metering's reservations; null when {@code budget.url} is empty
     */
    public BudgetGate(
            RateLimits rates,
            BudgetClient budgets,
            BudgetUnreachable whenUnreachable,
            long maxOutputTokens,
            Clock clock) {
        this.rates = rates;
        this.budgets = budgets;
        this.whenUnreachable = whenUnreachable;
        this.maxOutputTokens = maxOutputTokens;
        this.clock = clock;
    }

    /** Checks {@code key}'s limits for stream {@code streamId}; never fails. */
    public Future<Decision> admit(String streamId, PlatformKey key, String model, byte[] body) {
        RequestBounds bounds = RequestBounds.of(body);
        Instant now = clock.instant();
        RateLimits.Verdict rate =
                rates.check(
                        key.getKeyId(),
                        key.getRequestsPerMinute(),
                        key.getTokensPerMinute(),
                        bounds.worstTokens(maxOutputTokens),
                        now);
        if (rate instanceof RateLimits.Limited limited) {
            return Future.succeededFuture(limited(limited, now));
        }
        if (budgets == null) {
            return Future.succeededFuture(
                    key.getBudgetMicros() == null
                            ? GO
                            : new Stop(
                                    Reason.BUDGET_UNAVAILABLE,
                                    "This key has a budget and the relay has no budget service to"
                                            + " check it against.",
                                    null));
        }
        return budgets.reserve(streamId, key.getKeyId(), model, bounds).map(this::decide);
    }

    private Decision decide(BudgetClient.Verdict verdict) {
        if (verdict instanceof BudgetClient.Reserved) {
            return GO;
        }
        if (verdict instanceof BudgetClient.Refused refused) {
            return new Stop(Reason.BUDGET_EXCEEDED, refused.message(), refused.retryAfter());
        }
        String reason = ((BudgetClient.Undecided) verdict).reason();
        if (whenUnreachable == BudgetUnreachable.ADMIT) {
            LOG.warn("Budget not checked ({}); admitted: budget.when-unreachable=admit", reason);
            return GO;
        }
        LOG.warn("Budget not checked ({}); refused: budget.when-unreachable=refuse", reason);
        return new Stop(
                Reason.BUDGET_UNAVAILABLE,
                "The relay cannot check this key's budget right now; retry shortly.",
                "1");
    }

    private static Stop limited(RateLimits.Limited limited, Instant now) {
        boolean requests = limited.code().equals("requests_per_minute");
        String message =
                String.format(
                        "Rate limit reached: this key may make %d %s per minute; the limit resets"
                                + " at %s.",
                        limited.limit(),
                        requests ? "requests" : "tokens (worst case: prompt bound + max tokens)",
                        limited.resetsAt());
        return new Stop(
                requests ? Reason.REQUESTS_PER_MINUTE : Reason.TOKENS_PER_MINUTE,
                message,
                Long.toString(limited.retryAfterSeconds(now)));
    }
}
