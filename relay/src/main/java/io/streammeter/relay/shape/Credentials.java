package io.streammeter.relay.shape;

import io.vertx.core.MultiMap;

/**
 * Where each shape's clients put their key, read in one place: {@code Authorization: Bearer} (every
 * OpenAI shape) and {@code x-api-key} with the bearer header as fallback (Anthropic).
 */
public final class Credentials {
    private static final String BEARER = "Bearer ";

    private Credentials() {}

    /** The key of an {@code Authorization: Bearer KEY} header, or null when there is none. */
    public static String bearer(MultiMap headers) {
        String value = headers.get("Authorization");
        if (value == null
                || value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = value.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }

    /** The key of an {@code x-api-key} header, else of the bearer header, else null. */
    public static String xApiKeyOrBearer(MultiMap headers) {
        String key = headers.get("x-api-key");
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        return bearer(headers);
    }

    /** Replaces the bearer credentials by {@code key}. */
    public static void setBearer(MultiMap headers, String key) {
        headers.set("Authorization", BEARER + key);
    }

    /** Replaces every credential header by {@code x-api-key: key}. */
    public static void setXApiKey(MultiMap headers, String key) {
        headers.remove("Authorization");
        headers.set("x-api-key", key);
    }
}
