package io.streammeter.relay.keys;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Named upstream credentials ({@code auth.credentials-file}: {@code name=secret} lines), which
 * platform keys refer to by name, so secrets stay in the relay's configuration and never in the
 * registry topic. {@link #toString} shows names only.
 */
public final class Credentials {
    private final Map<String, String> byName;

    private Credentials(Map<String, String> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** None: every key uses the relay's upstream.api-key / anthropic.api-key. */
    public static Credentials none() {
        return new Credentials(Map.of());
    }

    /** Reads {@code file}; one line naming the key and the file when it cannot. */
    public static Credentials read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "auth.credentials-file: cannot read " + file + " (" + e.getMessage() + ")");
        }
        Map<String, String> byName = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String secret = properties.getProperty(name).strip();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException(
                        "auth.credentials-file: credential " + name + " in " + file + " is empty");
            }
            byName.put(name, secret);
        }
        return new Credentials(byName);
    }

    /** The secret of the credential with this name, or null. */
    public String secret(String name) {
        return byName.get(name);
    }

    @Override
    public String toString() {
        return "Credentials" + new java.util.TreeSet<>(byName.keySet());
    }
}
