package io.streammeter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key-id pepper of the local run: {@code STREAMMETER_RELAY_KEY_ID_PEPPER} when set, else a
 * random secret made once and kept (owner-readable only) in the data directory, so key ids stay the
 * same across restarts and {@code streammeter key-id} computes the ones the relay publishes.
 */
final class Pepper {
    static final String ENV = "STREAMMETER_RELAY_KEY_ID_PEPPER";
    static final String FILE = "key-id-pepper";

    private Pepper() {}

    static String load(Path dataDir) {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(dataDir);
                Files.writeString(
                        file, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
                try {
                    Files.setPosixFilePermissions(
                            file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on file systems without POSIX permissions
                }
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the pepper file " + file, e);
        }
    }
}
