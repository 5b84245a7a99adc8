package io.streammeter.relay.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text the relay publishes (error texts): the request's own keys wherever they
 * appear, and anything shaped like a bearer token or a provider key, since upstream error messages
 * sometimes echo the key they refused.
 */
public final class SecretScrubber {
    private static final Pattern KEY_SHAPED =
            Pattern.compile("(?i)(bearer\\s+\\S+|\\b(sk|pk|rk)-[A-Za-z0-9_\\-]{6,})");
    private static final String REDACTED = "[redacted]";
    private static final int MAX_CHARS = 500;

    private final List<String> secrets = new ArrayList<>(2);

    /** Scrubs the given secrets (nulls and very short values are ignored). */
    public SecretScrubber(String... secrets) {
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                this.secrets.add(secret);
            }
        }
    }

    /** The text without secrets, at most 500 characters; null stays null. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String clean = text;
        for (String secret : secrets) {
            clean = clean.replace(secret, REDACTED);
        }
        clean = KEY_SHAPED.matcher(clean).replaceAll(REDACTED);
        return clean.length() <= MAX_CHARS ? clean : clean.substring(0, MAX_CHARS);
    }
}
