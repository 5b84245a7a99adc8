package io.streammeter.prices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CostTest {
    static final PriceEntry MINI = entry("0.15", "0.075", "0.60");

    @Test
    void shouldRoundOncePerLineItemHalfUp() {
        assertEquals(20, Cost.micros(tokens(12, 30, null), MINI), "1.8 + 18 = 19.8");
        assertEquals(
                1, Cost.micros(tokens(2, 1, null), entry("0.25", "0.25", "0")), "0.5 rounds up");
        assertEquals(0, Cost.micros(tokens(1, 0, null), entry("0.49", "0.49", "0")));
        assertEquals(
                1,
                Cost.micros(tokens(3, 0, null), entry("0.2", "0.2", "0")),
                "3 x 0.2 = 0.6, not three rounded 0s");
    }

    @Test
    void shouldPriceCachedInputApart() {
        assertEquals(
                600 * 150 / 1000 + 400 * 75 / 1000 + 600,
                Cost.micros(tokens(1000, 1000, 400L), MINI));
        assertEquals(
                Cost.micros(tokens(1000, 0, 1000L), MINI),
                Cost.micros(tokens(1000, 0, 5000L), MINI),
                "cached is capped at input");
    }

    @Test
    void shouldShowMicrosAsUsd() {
        assertEquals("0.000020", Cost.usd(20));
        assertEquals("12.500000", Cost.usd(12_500_000));
    }

    @Test
    void shouldPriceCacheWritesAtTheCacheWriteRate() {
        TokenCounts anthropic = tokens(472 + 12_000 + 1_800, 15, 12_000L, 1_800L);

        assertEquals(
                472 * 3 + 12_000 * 3 / 10 + 1_800 * 375 / 100 + 15 * 15,
                Cost.micros(anthropic, SONNET),
                "uncached = prompt - cache read - cache write, each at its own rate");
        assertEquals(
                Cost.micros(tokens(1_000, 10, 0L, 0L), SONNET),
                Cost.micros(tokens(1_000, 10, 0L, null), SONNET),
                "no cache-creation count is none");
    }

    @Test
    void shouldPriceCacheWritesAtTheInputRateByDefault() {
        PriceEntry noWriteRate = entry("3", "0.30", "15");

        assertEquals(
                Cost.micros(tokens(2_000, 10, 500L, null), noWriteRate),
                Cost.micros(tokens(2_000, 10, 500L, 700L), noWriteRate),
                "cache_write defaults to input");
    }

    @Test
    void shouldCapCacheWritesAtTheInputThatIsNotCached() {
        assertEquals(
                80 * 3 / 10 + 20 * 375 / 100,
                Cost.micros(tokens(100, 0, 80L, 50L), SONNET),
                "20 of the 50 written tokens fit beside the 80 cached ones");
        assertEquals(
                Cost.micros(tokens(100, 0, 0L, 100L), SONNET),
                Cost.micros(tokens(100, 0, 0L, 900L), SONNET));
    }

    static final PriceEntry SONNET = entry("3", "0.30", "3.75", "15");

    static TokenCounts tokens(long prompt, long completion, Long cached) {
        return tokens(prompt, completion, cached, null);
    }

    static TokenCounts tokens(long prompt, long completion, Long cached, Long cacheCreation) {
        return new TokenCounts(prompt, completion, cached, cacheCreation);
    }

    static PriceEntry entry(String input, String cached, String output) {
        return entry(input, cached, input, output);
    }

    static PriceEntry entry(String input, String cached, String cacheWrite, String output) {
        return new PriceEntry(
                new ModelPattern("m"),
                Instant.EPOCH,
                new BigDecimal(input),
                new BigDecimal(cached),
                new BigDecimal(cacheWrite),
                new BigDecimal(output));
    }
}
