package io.streammeter.local;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "admin-token",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the admin token of the local stack's query API (made by 'streammeter local' in"
                    + " its data directory), for: curl -H \"Authorization: Bearer"
                    + " $(streammeter admin-token)\" ...",
            "Every query API route but /healthz and /readyz needs it."
        })
final class AdminTokenCommand implements Callable<Integer> {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Data directory of the local stack (default: $STREAMMETER_DATA_DIR, else"
                            + " .streammeter in the installation).")
    java.nio.file.Path dataDir;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(AdminTokenFile.read(DataDir.resolve(dataDir)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
