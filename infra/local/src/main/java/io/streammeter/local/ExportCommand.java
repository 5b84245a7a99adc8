package io.streammeter.local;

import io.streammeter.metering.export.Export;
import io.streammeter.metering.export.ExportFormat;
import io.streammeter.metering.export.TimeRange;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes hourly spend rows (spend) or stream line items (summaries) of a time range as"
                    + " CSV or JSON Lines, read from the compacted topics.",
            "Spend rows are sorted by window start, key id and model; line items by end time, key"
                    + " id and stream id. The row count and totals go to stderr at the end."
        })
final class ExportCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "spend|summaries", description = "What to export.")
    String what;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "WHEN",
            description = "Start, inclusive: ISO date (UTC) or instant.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "WHEN",
            description = "End, exclusive: ISO date (UTC) or instant.")
    String to;

    @Option(names = "--key-id", paramLabel = "KEY_ID", description = "Only this key id.")
    String keyId;

    @Option(
            names = "--format",
            paramLabel = "csv|jsonl",
            defaultValue = "csv",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of stdout.")
    Path out;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var request =
                new Export.Request(
                        kind(what),
                        new TimeRange(
                                TimeRange.parseBound("--from", from),
                                TimeRange.parseBound("--to", to)),
                        keyId,
                        format(format));
        PrintWriter err = spec.commandLine().getErr();
        kafka.reachableAdmin().close();
        Export export = new Export(kafka.catalog(), kafka.clientProperties(), kafka.timeout);
        Export.Totals totals;
        try (Writer writer = open()) {
            totals = export.run(request, writer, progress(err));
        }
        if (System.console() != null) {
            err.println(); // end the progress line
        }
        err.println("exported " + totals.describe());
        return 0;
    }

    private Writer open() throws IOException {
        return out == null
                ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8) {
                    @Override
                    public void close() throws IOException {
                        flush(); // stdout stays open for the summary line
                    }
                }
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }

    /** A counter on stderr that rewrites its line, only when a person is watching. */
    private static LongConsumer progress(PrintWriter err) {
        if (System.console() == null) {
            return read -> {};
        }
        return read -> {
            err.print("\rread " + read + " records…");
            err.flush();
        };
    }

    private static Export.Kind kind(String what) {
        return switch (what) {
            case "spend" -> Export.Kind.SPEND;
            case "summaries" -> Export.Kind.SUMMARIES;
            default ->
                    throw new IllegalArgumentException(
                            "export what? '" + what + "' is neither spend nor summaries");
        };
    }

    private static ExportFormat format(String format) {
        return switch (format) {
            case "csv" -> ExportFormat.CSV;
            case "jsonl" -> ExportFormat.JSONL;
            default ->
                    throw new IllegalArgumentException(
                            "--format '" + format + "' is neither csv nor jsonl");
        };
    }
}
