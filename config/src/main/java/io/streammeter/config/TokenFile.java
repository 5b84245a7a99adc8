package io.streammeter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A bearer token read once from a file named by a setting (metering's {@code
 * auth.admin-token-file}, the relay's {@code metrics.token-file}). Only its SHA-256 is kept, and
 * presented tokens are compared digest to digest in constant time, so neither the token's length
 * nor its prefix leaks through timing. The token itself is never printed.
 */
public final class TokenFile {
    /** Shortest token accepted: a guessable token is no authentication. */
    public static final int MIN_CHARS = 16;

    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    private TokenFile(String token) {
        this.digest = sha256(token);
    }

    /**
     * Reads the token in {@code file}.
     *
     * @param key the setting that names the file, for the error message
     * @throws IllegalArgumentException one line naming {@code key}, when the file is unreadable or
     *     does not hold one token of at least {@link #MIN_CHARS} characters without whitespace
     */
    public static TokenFile read(Path file, String key) {
        return new TokenFile(secret(file, key));
    }

    /**
     * The token in {@code file} itself, for a client that must present it (a relay reserving budget
     * at metering); checked as {@link #read} checks it. Never log it.
     */
    public static String secret(Path file, String key) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    key + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (token.length() < MIN_CHARS || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    key
                            + ": "
                            + file
                            + " must hold one token of at least "
                            + MIN_CHARS
                            + " characters without whitespace");
        }
        return token;
    }

    /** Whether {@code presented} is the token; constant time. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /**
     * Whether an {@code Authorization} header value is {@code Bearer <token>}; constant time in the
     * token.
     */
    public boolean matchesBearer(String authorization) {
        if (authorization == null
                || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return matches(authorization.substring(BEARER.length()).strip());
    }

    @Override
    public String toString() {
        return "TokenFile[hidden]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
