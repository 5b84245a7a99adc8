package io.streammeter.metering.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.prices.Cost;
import io.streammeter.prices.ModelPattern;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.TokenCounts;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorstCaseTest {
    static final PriceEntry PRICE =
            new PriceEntry(
                    new ModelPattern("gpt-test"),
                    Instant.EPOCH,
                    new BigDecimal("2.5"),
                    new BigDecimal("1.25"),
                    new BigDecimal("3.75"),
                    new BigDecimal("10.1"));

    @Test
    void shouldBoundOutputByMaxTokensTimesChoicesOrTheCapWhenNoneIsSet() {
        assertEquals(new WorstCase.Tokens(300, 200), WorstCase.tokens(300, 100L, 2, 4096));
        assertEquals(new WorstCase.Tokens(300, 4096), WorstCase.tokens(300, null, null, 4096));
        assertEquals(
                new WorstCase.Tokens(300, 1_000_000),
                WorstCase.tokens(300, 1_000_000L, 1, 4096),
                "a maximum above the cap is the request's: the upstream honours it, not the cap");
        assertEquals(new WorstCase.Tokens(0, 4096), WorstCase.tokens(0, 0L, 0, 4096));
    }

    @Test
    void shouldPriceAtTheHighestInputRateRoundingUp() {
        // 3.75 × 3 + 10.1 × 1 = 21.35 → 22
        assertEquals(22, WorstCase.micros(new WorstCase.Tokens(3, 1), PRICE));
    }

    @Test
    void shouldNeverBeBelowTheBillForAnyUsageWithinTheBound() {
        WorstCase.Tokens bound = WorstCase.tokens(40, 7L, 1, 4096);
        long worst = WorstCase.micros(bound, PRICE);
        for (long p = 0; p <= 40; p++) {
            for (long c = 0; c <= 7; c++) {
                for (long cached = 0; cached <= p; cached += 5) {
                    long bill = Cost.micros(new TokenCounts(p, c, cached, p - cached), PRICE);
                    assertTrue(bill <= worst, "bill " + bill + " > worst " + worst);
                }
            }
        }
    }
}
