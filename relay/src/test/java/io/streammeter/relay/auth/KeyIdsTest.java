package io.streammeter.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyIdsTest {
    private static final String PEPPER = "a-pepper-of-sixteen+";

    @Test
    void shouldMatchAnIndependentlyComputedHmac() {
        // python: 'k_' + b32encode(hmac.new(pepper, key, sha256).digest()[:15]).lower()
        assertEquals("k_6hqwiz673t2ypsj3boqdcpzw", KeyIds.derive(PEPPER, "sk-test-123"));
    }

    @Test
    void shouldBeShortStableAndUrlSafe() {
        String id = KeyIds.derive(PEPPER, "sk-some-key");

        assertTrue(id.matches("k_[a-z2-7]{24}"), id);
        assertEquals(id, KeyIds.derive(PEPPER, "sk-some-key"));
        assertFalse(id.contains("some"), id);
    }

    @Test
    void shouldDependOnBothPepperAndKey() {
        String id = KeyIds.derive(PEPPER, "sk-one");

        assertNotEquals(id, KeyIds.derive(PEPPER, "sk-two"));
        assertNotEquals(id, KeyIds.derive(PEPPER + "x", "sk-one"));
    }

    @Test
    void shouldRefuseAnEmptyPepper() {
        assertThrows(IllegalArgumentException.class, () -> KeyIds.derive("", "sk-one"));
    }

    @Test
    void shouldGiveTheSameIdsWhenPeppersAlternateOnOneThread() {
        String first = KeyIds.derive("pepper-number-one-123", "sk-one");
        String second = KeyIds.derive("pepper-number-two-456", "sk-one");

        assertEquals(first, KeyIds.derive("pepper-number-one-123", "sk-one"));
        assertEquals(second, KeyIds.derive("pepper-number-two-456", "sk-one"));
        assertNotEquals(first, second);
    }

    @Test
    void shouldGiveTheSameIdsBeyondTheCacheBound() {
        String first = KeyIds.derive("pepper-of-the-cache-test", "sk-first");
        for (int i = 0; i < KeyIds.CACHED_IDS + 10; i++) {
            KeyIds.derive("pepper-of-the-cache-test", "sk-" + i);
        }
        assertEquals(first, KeyIds.derive("pepper-of-the-cache-test", "sk-first"));
        assertNotEquals(first, KeyIds.derive("another-pepper-of-the-test", "sk-first"));
    }
}
