package io.streammeter.metering.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Billed and held spend per key and per customer, the one authority that admits a request against a
 * budget. A request is admitted only if billed + held + its worst case ≤ budget for its key AND its
 * customer; admitted, its worst case is held until its line item arrives ({@link #bill}) or the
 * hold times out ({@link #expire}). Billed spend counts exact line items by the period of the
 * item's time. Pure and synchronised: one instance owns a key's reservations.
 */
public final class BudgetLedger {

    /** A budget: micro-USD per period. */
    public record Limit(long budgetMicros, BudgetPeriod period) {}

    /** What a budget belongs to. */
    public enum Kind {
        KEY,
        CUSTOMER
    }

    /** A key or a customer. */
    public record Scope(Kind kind, String id) {}

    /** Worst case held for one admitted stream. */
    public record Hold(
            String streamId, String keyId, String customer, long micros, Instant placedAt) {}

    /** The outcome of a reservation. */
    public sealed interface Outcome {}

    /** Admitted; {@code hold} is null when holds are switched off (proving only). */
    public record Reserved(Hold hold) implements Outcome {}

    /** Refused by the budget of {@code scope}; it resets at {@code resetsAt} (null: lifetime). */
    public record Refused(Scope scope, Standing standing, long worstMicros, Instant resetsAt)
            implements Outcome {}

    /** A budget's standing in the current period. */
    public record Standing(
            long budgetMicros, long billedMicros, long heldMicros, Instant resetsAt) {
        public long remainingMicros() {
            return Math.max(0, budgetMicros - billedMicros - heldMicros);
        }
    }

    /** A threshold crossed by billed spend, once per scope, period and threshold. */
    public record Alert(
            Scope scope, String periodId, int percent, long budgetMicros, long billedMicros) {}

    private final boolean holdInFlight;
    private final Map<String, Long> billed = new HashMap<>();
    private final Map<Scope, Long> held = new HashMap<>();
    private final Map<String, Hold> holds = new LinkedHashMap<>();
    private final Set<String> alerted = new HashSet<>();

    /**
     * @param holdInFlight false only to prove that the guarantee depends on holds: admission then
     *     looks at billed spend alone
     */
    public BudgetLedger(boolean holdInFlight) {
        this.holdInFlight = holdInFlight;
    }

    /**
     * Reserves {@code worstMicros} for stream {@code streamId} against the key's and the customer's
     * budgets (either limit may be null: no budget). Reserving a stream id that already holds is
     * idempotent (a retried call).
     */
    public synchronized Outcome reserve(
            String streamId,
            String keyId,
            Limit keyLimit,
            String customer,
            Limit customerLimit,
            long worstMicros,
            Instant now) {
        Hold existing = holds.get(streamId);
        if (existing != null) {
            return new Reserved(existing);
        }
        Scope key = new Scope(Kind.KEY, keyId);
        Scope cust = customer == null ? null : new Scope(Kind.CUSTOMER, customer);
        Refused refused = check(key, keyLimit, worstMicros, now);
        if (refused == null && cust != null) {
            refused = check(cust, customerLimit, worstMicros, now);
        }
        if (refused != null) {
            return refused;
        }
        if (!holdInFlight) {
            return new Reserved(null);
        }
        Hold hold = new Hold(streamId, keyId, customer, worstMicros, now);
        holds.put(streamId, hold);
        held.merge(key, worstMicros, Long::sum);
        if (cust != null) {
            held.merge(cust, worstMicros, Long::sum);
        }
        return new Reserved(hold);
    }

    private Refused check(Scope scope, Limit limit, long worstMicros, Instant now) {
        if (limit == null) {
            return null;
        }
        Standing s = standing(scope, limit, now);
        if (s.billedMicros() + s.heldMicros() + worstMicros <= s.budgetMicros()) {
            return null;
        }
        return new Refused(scope, s, worstMicros, s.resetsAt());
    }

    /**
     * Counts a line item of {@code micros} at {@code at} and releases the stream's hold, if any.
     * Returns the thresholds that this item makes billed spend cross (each once per period).
     */
    public synchronized List<Alert> bill(
            String streamId,
            String keyId,
            Limit keyLimit,
            String customer,
            Limit customerLimit,
            long micros,
            Instant at) {
        release(streamId);
        List<Alert> alerts = new ArrayList<>();
        add(new Scope(Kind.KEY, keyId), keyLimit, micros, at, alerts);
        if (customer != null) {
            add(new Scope(Kind.CUSTOMER, customer), customerLimit, micros, at, alerts);
        }
        return alerts;
    }

    private void add(Scope scope, Limit limit, long micros, Instant at, List<Alert> alerts) {
        BudgetPeriod period = limit == null ? BudgetPeriod.LIFETIME : limit.period();
        // billed is counted per period kind so a key whose period changes still finds its spend
        for (BudgetPeriod p : BudgetPeriod.values()) {
            billed.merge(slot(scope, p, p.id(at)), micros, Long::sum);
        }
        if (limit == null) {
            return;
        }
        String periodId = period.id(at);
        long after = billed.get(slot(scope, period, periodId));
        for (int percent : Thresholds.crossed(after - micros, after, limit.budgetMicros())) {
            if (alerted.add(scope + "|" + periodId + "|" + percent)) {
                alerts.add(new Alert(scope, periodId, percent, limit.budgetMicros(), after));
            }
        }
    }

    /** Releases a hold without billing (the stream ended with no line item, or a retry). */
    public synchronized boolean release(String streamId) {
        Hold hold = holds.remove(streamId);
        if (hold == null) {
            return false;
        }
        held.merge(new Scope(Kind.KEY, hold.keyId()), -hold.micros(), Long::sum);
        if (hold.customer() != null) {
            held.merge(new Scope(Kind.CUSTOMER, hold.customer()), -hold.micros(), Long::sum);
        }
        return true;
    }

    /**
     * Releases every hold placed more than {@code timeout} before {@code now}; returns how many.
     */
    public synchronized int expire(Instant now, Duration timeout) {
        Instant cutoff = now.minus(timeout);
        List<String> old = new ArrayList<>();
        for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
            Hold h = it.next();
            if (h.placedAt().isBefore(cutoff)) {
                old.add(h.streamId());
            }
        }
        old.forEach(this::release);
        return old.size();
    }

    /** The standing of {@code scope}'s budget in the period containing {@code now}. */
    public synchronized Standing standing(Scope scope, Limit limit, Instant now) {
        BudgetPeriod period = limit.period();
        long b = billed.getOrDefault(slot(scope, period, period.id(now)), 0L);
        long h = held.getOrDefault(scope, 0L);
        return new Standing(limit.budgetMicros(), b, h, period.resetsAt(now));
    }

    /** Holds outstanding (for metrics and tests). */
    public synchronized int holdCount() {
        return holds.size();
    }

    private static String slot(Scope scope, BudgetPeriod period, String periodId) {
        return scope.kind() + "|" + scope.id() + "|" + period + "|" + periodId;
    }
}
