package io.streammeter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin token of the local run's query API: a random secret made once and kept (owner-readable
 * only) in the data directory, handed to metering as {@code auth.admin-token-file} and printed by
 * {@code streammeter admin-token} for curl and scripts.
 */
final class AdminTokenFile {
    static final String FILE = "admin-token";

    private AdminTokenFile() {}

    /** The token file in {@code dataDir}, made first if missing. */
    static Path ensure(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(dataDir);
                Files.writeString(
                        file,
                        "smt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
                try {
                    Files.setPosixFilePermissions(
                            file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on file systems without POSIX permissions
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the admin token file " + file, e);
        }
    }

    /** The token kept in {@code dataDir}; fails with one line when there is none yet. */
    static String read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IllegalStateException(
                    "no admin token: start 'streammeter local' first ("
                            + file
                            + " does not exist)");
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
