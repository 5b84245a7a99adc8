package io.streammeter.local;

import io.streammeter.relay.auth.KeyIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "key-id",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the key id of each API key read from stdin (one per line), as the relay"
                    + " publishes it: k_ + 24 base32 characters of HMAC-SHA256(pepper, key).",
            "The pepper comes from $"
                    + Pepper.ENV
                    + ", else --pepper-file, else the local run's"
                    + " data directory."
        })
final class KeyIdCommand implements Callable<Integer> {
    @Option(
            names = "--pepper-file",
            paramLabel = "FILE",
            description =
                    "File holding the pepper (default: "
                            + Pepper.FILE
                            + " in the local stack's data directory).")
    Path pepperFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Data directory of the local stack (default: $STREAMMETER_DATA_DIR, else"
                            + " .streammeter in the installation).")
    Path dataDir;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String pepper = pepper();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int keys = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String key = line.strip();
            if (!key.isEmpty()) {
                spec.commandLine().getOut().println(KeyIds.derive(pepper, key));
                keys++;
            }
        }
        spec.commandLine().getOut().flush();
        if (keys == 0) {
            throw new IllegalArgumentException(
                    "no key on stdin (try: echo $KEY | streammeter key-id)");
        }
        return 0;
    }

    private String pepper() throws IOException {
        String env = System.getenv(Pepper.ENV);
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path file = pepperFile != null ? pepperFile : DataDir.resolve(dataDir).resolve(Pepper.FILE);
        if (!Files.exists(file)) {
            throw new IllegalStateException(
                    "no pepper: set "
                            + Pepper.ENV
                            + " or --pepper-file ("
                            + file
                            + " does not exist)");
        }
        return Files.readString(file).strip();
    }
}
