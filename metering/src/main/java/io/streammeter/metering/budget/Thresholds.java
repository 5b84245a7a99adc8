package io.streammeter.metering.budget;

import java.util.ArrayList;
import java.util.List;

/** Alert thresholds of a budget: 50, 80 and 100 % of it, each crossed once per period. */
public final class Thresholds {
    public static final List<Integer> PERCENTS = List.of(50, 80, 100);

    private Thresholds() {}

    /**
     * The thresholds that spend crosses going from {@code before} to {@code after} micro-USD on a
     * budget of {@code budget} (reaching a threshold exactly counts as crossing it).
     */
    public static List<Integer> crossed(long before, long after, long budget) {
        List<Integer> out = new ArrayList<>();
        if (budget <= 0) {
            return out;
        }
        for (int percent : PERCENTS) {
            if (reached(before, percent, budget) || !reached(after, percent, budget)) {
                continue;
            }
            out.add(percent);
        }
        return out;
    }

    private static boolean reached(long spend, int percent, long budget) {
        // budgets are micro-USD: × 100 stays far from overflow below 90 billion USD
        return Math.multiplyExact(spend, 100L) >= Math.multiplyExact(budget, (long) percent);
    }
}
