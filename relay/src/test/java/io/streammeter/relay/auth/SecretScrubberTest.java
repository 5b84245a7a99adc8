package io.streammeter.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SecretScrubberTest {

    @Test
    void shouldRemoveTheRequestKeysAndAnythingKeyShaped() {
        SecretScrubber scrubber = new SecretScrubber("my-custom-secret-key", null);

        assertEquals(
                "HTTP 401: Incorrect API key provided: [redacted]. Also [redacted] and [redacted]",
                scrubber.scrub(
                        "HTTP 401: Incorrect API key provided: my-custom-secret-key."
                                + " Also sk-proj-abcdef123456 and Bearer xyz"));
    }

    @Test
    void shouldCapLengthAndKeepNull() {
        SecretScrubber scrubber = new SecretScrubber();

        assertEquals(500, scrubber.scrub("e".repeat(2000)).length());
        assertNull(scrubber.scrub(null));
    }
}
