package io.streammeter.relay.stream;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Stream ids: {@code s_} and 22 URL-safe characters (128 random bits), so an id can be handed to
 * the client without letting anyone guess another stream's. One instance per event loop.
 */
public final class StreamIds {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final byte[] bytes = new byte[16];

    public String next() {
        random.nextBytes(bytes);
        return "s_" + ENCODER.encodeToString(bytes);
    }
}
