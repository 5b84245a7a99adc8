package io.streammeter.relay.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import io.streammeter.relay.config.BudgetUnreachable;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate without metering (rate limits, a budget nobody can check) and metering's answers. */
class BudgetGateTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:15:30Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] BODY =
            "{\"model\":\"gpt-4o\",\"max_tokens\":100}".getBytes(StandardCharsets.UTF_8);

    private static PlatformKey key(Long budgetMicros, Integer rpm, Long tpm) {
        return PlatformKey.newBuilder()
                .setKeyId("k_test")
                .setCustomer("acme")
                .setTags(Map.of())
                .setUpstreamCredential(null)
                .setAllowedModels(List.of())
                .setBudgetMicros(budgetMicros)
                .setBudgetPeriod(budgetMicros == null ? null : "month")
                .setRequestsPerMinute(rpm)
                .setTokensPerMinute(tpm)
                .setStatus(KeyStatus.ACTIVE)
                .setCreatedAt(NOW)
                .setUpdatedAt(NOW)
                .build();
    }

    private static BudgetGate gate() {
        return new BudgetGate(new RateLimits(), null, BudgetUnreachable.REFUSE, 1000, CLOCK);
    }

    private static BudgetGate.Decision admit(BudgetGate gate, PlatformKey key) {
        return gate.admit("s1", key, "gpt-4o", BODY).result();
    }

    @Test
    void shouldLetAKeyWithoutLimitsOrBudgetThroughWithoutMetering() {
        assertInstanceOf(BudgetGate.Go.class, admit(gate(), key(null, null, null)));
    }

    @Test
    void shouldRefuseAKeyWithABudgetWhenNoBudgetServiceIsConfigured() {
        BudgetGate.Stop stop =
                assertInstanceOf(BudgetGate.Stop.class, admit(gate(), key(1_000_000L, null, null)));
        assertEquals(BudgetGate.Reason.BUDGET_UNAVAILABLE, stop.reason());
        assertNull(stop.retryAfter(), "retrying will not help: it is configuration");
    }

    @Test
    void shouldRefuseTheRequestOverTheRequestsPerMinuteWithItsResetTime() {
        BudgetGate gate = gate();
        PlatformKey key = key(null, 2, null);
        assertInstanceOf(BudgetGate.Go.class, admit(gate, key));
        assertInstanceOf(BudgetGate.Go.class, admit(gate, key));
        BudgetGate.Stop stop = assertInstanceOf(BudgetGate.Stop.class, admit(gate, key));
        assertEquals(BudgetGate.Reason.REQUESTS_PER_MINUTE, stop.reason());
        assertEquals("30", stop.retryAfter(), "10:15:30 -> the minute resets at 10:16:00");
        assertTrue(stop.message().contains("2026-12-05T10:16:00Z"), stop.message());
        assertTrue(!stop.message().contains("k_test"), "no key id in an error body");
    }

    @Test
    void shouldCountTheWorstCaseTokensAgainstTheTokensPerMinute() {
        // bytes of the body + max_tokens 100 per request
        long perRequest = BODY.length + 100;
        BudgetGate gate = gate();
        PlatformKey key = key(null, null, perRequest * 2);
        assertInstanceOf(BudgetGate.Go.class, admit(gate, key));
        assertInstanceOf(BudgetGate.Go.class, admit(gate, key));
        BudgetGate.Stop stop = assertInstanceOf(BudgetGate.Stop.class, admit(gate, key));
        assertEquals(BudgetGate.Reason.TOKENS_PER_MINUTE, stop.reason());
    }

    @Test
    void shouldReadMeteringsAnswers() {
        assertInstanceOf(
                BudgetClient.Reserved.class,
                BudgetClient.verdict(200, null, Buffer.buffer("{\"stream_id\":\"s1\"}")));
        BudgetClient.Refused refused =
                assertInstanceOf(
                        BudgetClient.Refused.class,
                        BudgetClient.verdict(
                                429,
                                "3600",
                                Buffer.buffer(
                                        "{\"error\":{\"message\":\"The key's budget of 1 USD"
                                                + " ...\",\"code\":\"budget_exceeded\"}}")));
        assertEquals("3600", refused.retryAfter());
        assertTrue(refused.message().startsWith("The key's budget"), refused.message());
        assertInstanceOf(
                BudgetClient.Undecided.class,
                BudgetClient.verdict(503, "1", Buffer.buffer("{\"error\":{}}")));
        assertInstanceOf(
                BudgetClient.Undecided.class, BudgetClient.verdict(401, null, Buffer.buffer("x")));
    }
}
