package io.streammeter.local;

import io.streammeter.config.CliConverters;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code streammeter} command. Exit codes: 0 success, 1 the command failed (Kafka unreachable,
 * a topic contradicts the catalog, …), 2 the command line is wrong. Errors are one line on stderr;
 * {@code --verbose} adds the stack trace.
 */
@Command(
        name = "streammeter",
        mixinStandardHelpOptions = true,
        versionProvider = StreammeterCli.Version.class,
        description = "Streaming usage metering for LLM APIs, on Kafka.",
        subcommands = {
            LocalCommand.class,
            BrokerCommand.class,
            RelayCommand.class,
            MeteringCommand.class,
            SimulatorCommand.class,
            TopicsCommand.class,
            ExportCommand.class,
            ExplainCommand.class,
            KeyIdCommand.class,
            AdminTokenCommand.class,
            KeysCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  the command failed (for example Kafka unreachable)",
            "  2  wrong command line (unknown flag, bad date, …)"
        })
public final class StreammeterCli {
    static {
        // The command's own logging setup unless the operator names one; set before any logger.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "streammeter-log4j2.properties");
        }
    }

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; never exits the JVM. */
    public static int run(String... args) {
        return run(
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                args);
    }

    /** Runs a command line writing to these streams; for tests and embedding. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = CliConverters.register(new CommandLine(new StreammeterCli()));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    boolean verbose = parseResult.hasMatchedOption("--verbose");
                    commandLine.getErr().println("streammeter: " + oneLine(e));
                    if (verbose) {
                        e.printStackTrace(commandLine.getErr());
                    }
                    return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED;
                });
        cli.setParameterExceptionHandler(
                (e, ignored) -> {
                    e.getCommandLine().getErr().println("streammeter: " + e.getMessage());
                    e.getCommandLine()
                            .getErr()
                            .println(
                                    "Try '"
                                            + e.getCommandLine().getCommandSpec().qualifiedName()
                                            + " --help'.");
                    return EXIT_USAGE;
                });
        return cli.execute(args);
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String message =
                root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StreammeterCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "streammeter " + (version == null ? "(development build)" : version)
            };
        }
    }
}
