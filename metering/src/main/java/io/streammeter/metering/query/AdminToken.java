package io.streammeter.metering.query;

import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.config.MeteringConfig.AuthMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The query API's admin token, read once from {@code auth.admin-token-file}. Only its SHA-256 is
 * kept, and presented tokens are compared digest to digest in constant time, so neither the token's
 * length nor its prefix leaks through timing.
 */
public final class AdminToken {
    /** Shortest token accepted: a guessable admin token is no authentication. */
    public static final int MIN_CHARS = 16;

    private final byte[] digest;
    private final String header;

    private AdminToken(String token) {
        this.digest = sha256(token);
        this.header = "Bearer " + token;
    }

    /**
     * The token {@code config} asks for: null with {@code auth.mode=none}.
     *
     * @throws IllegalArgumentException one line naming the key, when the token is missing,
     *     unreadable or too short
     */
    public static AdminToken of(MeteringConfig config) {
        if (config.authMode() == AuthMode.NONE) {
            return null;
        }
        Path file = config.authAdminTokenFile();
        if (file == null) {
            throw new IllegalArgumentException(
                    "auth.admin-token-file is required: the query API authenticates its callers;"
                            + " set it to a file holding the admin token, or set auth.mode=none to"
                            + " leave the query API open to anyone who reaches it");
        }
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "auth.admin-token-file: cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (token.length() < MIN_CHARS || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "auth.admin-token-file: "
                            + file
                            + " must hold one token of at least "
                            + MIN_CHARS
                            + " characters without whitespace");
        }
        return new AdminToken(token);
    }

    /** Whether {@code presented} is the admin token; constant time. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The Authorization header value that carries this token to another instance. */
    String authorization() {
        return header;
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
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
