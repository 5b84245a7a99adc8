package io.streammeter.metering.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records the CLI and the admin API write, and the words their validation uses. */
class KeyRecordsTest {
    private static final String PEPPER = "key-records-pepper-0123456789";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void shouldCreateAnActiveKeyWhoseIdIsTheKeyedHashOfTheRawKey() {
        KeyRecords.Created created =
                KeyRecords.create(
                        PEPPER,
                        new KeyChange(
                                "acme",
                                Map.of("team", "search"),
                                "openai-main",
                                List.of("gpt-4o*"),
                                new BigDecimal("25.5"),
                                null,
                                60,
                                null),
                        T0);
        PlatformKey key = created.key();
        assertTrue(created.rawKey().startsWith("sk-sm-"));
        assertEquals(38, created.rawKey().length());
        assertEquals(KeyRecords.keyId(PEPPER, created.rawKey()), key.getKeyId());
        assertEquals("acme", key.getCustomer());
        assertEquals(KeyStatus.ACTIVE, key.getStatus());
        assertEquals(25_500_000L, key.getBudgetMicros());
        assertEquals("month", key.getBudgetPeriod(), "a budget without a period is monthly");
        assertEquals(60, key.getRequestsPerMinute());
        assertEquals(T0, key.getCreatedAt());
        assertFalse(created.toString().contains(created.rawKey()), created.toString());
    }

    @Test
    void shouldMergeTagsClearTheCredentialAndKeepWhatTheChangeLeavesOut() {
        PlatformKey key = KeyRecords.create(PEPPER, KeyChange.NONE.withCustomer("acme"), T0).key();
        key =
                KeyRecords.apply(
                        key,
                        new KeyChange(null, Map.of("a", "1"), "cred", null, null, null, null, null),
                        T1);
        PlatformKey changed =
                KeyRecords.apply(
                        key,
                        new KeyChange(null, Map.of("b", "2"), "", null, null, "day", null, 5L),
                        T1);
        assertEquals(Map.of("a", "1", "b", "2"), changed.getTags());
        assertNull(changed.getUpstreamCredential());
        assertEquals("day", changed.getBudgetPeriod());
        assertEquals(5L, changed.getTokensPerMinute());
        assertEquals("acme", changed.getCustomer());
        assertEquals(T0, changed.getCreatedAt());
        assertEquals(T1, changed.getUpdatedAt());
        PlatformKey revoked = KeyRecords.revoke(changed, T1);
        assertEquals(KeyStatus.REVOKED, revoked.getStatus());
        assertEquals(changed.getTags(), revoked.getTags());
    }

    @Test
    void shouldNameTheFieldOfEveryInvalidChange() {
        PlatformKey key = KeyRecords.create(PEPPER, KeyChange.NONE.withCustomer("c"), T0).key();
        Map<KeyChange, String> cases =
                Map.of(
                        KeyChange.NONE,
                        "customer is required",
                        new KeyChange(" ", null, null, null, null, null, null, null),
                        "customer must not be empty",
                        new KeyChange(
                                "c", null, null, null, new BigDecimal("-1"), null, null, null),
                        "budget_usd must not be negative",
                        new KeyChange(
                                "c",
                                null,
                                null,
                                null,
                                new BigDecimal("0.0000001"),
                                null,
                                null,
                                null),
                        "budget_usd must have at most 6 decimals",
                        new KeyChange("c", null, null, null, null, "week", null, null),
                        "budget_period must be day, month or lifetime",
                        new KeyChange("c", null, null, null, null, null, 0, null),
                        "requests_per_minute must be positive",
                        new KeyChange("c", Map.of("a b", "x"), null, null, null, null, null, null),
                        "tags names must be",
                        new KeyChange("c", null, null, List.of(""), null, null, null, null),
                        "allowed_models must not be empty");
        cases.forEach(
                (change, message) -> {
                    InvalidKeyChange e =
                            assertThrows(
                                    InvalidKeyChange.class,
                                    () -> {
                                        if (change.customer() == null
                                                || change.customer().isBlank()) {
                                            KeyRecords.create(PEPPER, change, T0);
                                        } else {
                                            KeyRecords.apply(key, change, T1);
                                        }
                                    });
                    assertTrue(e.getMessage().startsWith(message), e.getMessage());
                    assertTrue(message.startsWith(e.field()), e.field() + " / " + message);
                });
    }
}
