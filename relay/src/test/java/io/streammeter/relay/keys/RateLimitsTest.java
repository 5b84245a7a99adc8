package io.streammeter.relay.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    static final Instant NOW = Instant.parse("2026-12-05T03:20:40.500Z");

    @Test
    void shouldRefuseTheRequestOverTheLimitUntilTheNextMinute() {
        RateLimits limits = new RateLimits();
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(RateLimits.Allowed.class, limits.check("k", 3, null, 10, NOW));
        }
        RateLimits.Limited limited =
                assertInstanceOf(RateLimits.Limited.class, limits.check("k", 3, null, 10, NOW));
        assertEquals("requests_per_minute", limited.code());
        assertEquals(Instant.parse("2026-12-05T03:21:00Z"), limited.resetsAt());
        assertEquals(20, limited.retryAfterSeconds(NOW));
        assertInstanceOf(
                RateLimits.Allowed.class,
                limits.check("k", 3, null, 10, Instant.parse("2026-12-05T03:21:00Z")));
        assertInstanceOf(RateLimits.Allowed.class, limits.check("other", 3, null, 10, NOW));
    }

    @Test
    void shouldCountWorstCaseTokensAndNotCountRefusedRequests() {
        RateLimits limits = new RateLimits();
        assertInstanceOf(RateLimits.Allowed.class, limits.check("k", null, 100L, 60, NOW));
        RateLimits.Limited limited =
                assertInstanceOf(RateLimits.Limited.class, limits.check("k", null, 100L, 41, NOW));
        assertEquals("tokens_per_minute", limited.code());
        assertInstanceOf(RateLimits.Allowed.class, limits.check("k", null, 100L, 40, NOW));
    }

    @Test
    void shouldAllowEverythingWithoutLimits() {
        RateLimits limits = new RateLimits();
        for (int i = 0; i < 1000; i++) {
            assertInstanceOf(
                    RateLimits.Allowed.class, limits.check("k", null, null, 1_000_000, NOW));
        }
    }
}
