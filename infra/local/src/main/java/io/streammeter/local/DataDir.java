package io.streammeter.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The local run's data directory, found the same way by every command, whatever the current
 * directory: {@code --data-dir}, else {@code $STREAMMETER_DATA_DIR}, else {@code .streammeter} in
 * the installation ({@code bin/streammeter} passes {@code -Dstreammeter.home}), else in the current
 * directory. A running stack records its addresses there ({@value #STACK_FILE}), so {@code export},
 * {@code topics} and {@code key-id} find it without flags.
 */
final class DataDir {
    static final String ENV = "STREAMMETER_DATA_DIR";
    static final String HOME_PROPERTY = "streammeter.home";
    static final String STACK_FILE = "stack.properties";
    static final String BOOTSTRAP = "kafka.bootstrap-servers";
    static final String TOPIC_PREFIX = "topic-prefix";

    private DataDir() {}

    /** The directory to use: {@code flag} when given, else the default. */
    static Path resolve(Path flag) {
        if (flag != null) {
            return flag.toAbsolutePath();
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        String home = System.getProperty(HOME_PROPERTY);
        Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home);
        return base.resolve(".streammeter").toAbsolutePath();
    }

    /** Records where a started stack listens; read back by {@link #stack}. */
    static void recordStack(Path dataDir, Properties stack) {
        try {
            Files.createDirectories(dataDir);
            try (Writer out =
                    Files.newBufferedWriter(dataDir.resolve(STACK_FILE), StandardCharsets.UTF_8)) {
                stack.store(out, "written by 'streammeter local' at start; read by other commands");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dataDir.resolve(STACK_FILE), e);
        }
    }

    /** What the last stack started on {@code dataDir} recorded, if any. */
    static Optional<Properties> stack(Path dataDir) {
        Path file = dataDir.resolve(STACK_FILE);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        Properties stack = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stack.load(in);
            return Optional.of(stack);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
