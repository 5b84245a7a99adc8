package io.streammeter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token file: one token of 16 characters or more, matched as itself or as a bearer header. */
class TokenFileTest {
    private static final String TOKEN = "a-token-of-the-test-0123";

    @Test
    void shouldMatchTheTokenAndItsBearerHeaderOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        TokenFile token = TokenFile.read(file, "metrics.token-file");
        assertTrue(token.matches(TOKEN));
        assertFalse(token.matches(TOKEN + "x"));
        assertFalse(token.matches(null));
        assertTrue(token.matchesBearer("Bearer " + TOKEN));
        assertTrue(token.matchesBearer("bearer " + TOKEN));
        assertFalse(token.matchesBearer("Basic " + TOKEN));
        assertFalse(token.matchesBearer(TOKEN));
        assertFalse(token.matchesBearer("Bearer "));
        assertFalse(token.matchesBearer(null));
        assertFalse(token.toString().contains(TOKEN));
    }

    @Test
    void shouldRefuseAShortOrMissingTokenNamingTheSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "short");
        IllegalArgumentException shortToken =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TokenFile.read(file, "metrics.token-file"));
        assertEquals(
                "metrics.token-file: "
                        + file
                        + " must hold one token of at least 16 characters without whitespace",
                shortToken.getMessage());
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TokenFile.read(dir.resolve("absent"), "metrics.token-file"));
        assertTrue(missing.getMessage().startsWith("metrics.token-file: cannot read"));
    }
}
