package io.streammeter.bench.faults;

import io.streammeter.bench.faults.Accounting.Row;
import io.streammeter.bench.faults.FaultsMain.Options;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The suite's one table, in Markdown, with each scenario's evidence below it. */
final class Report {
    private static final int FINDINGS_SHOWN = 12;

    private Report() {}

    static String markdown(Options o, List<Row> rows, List<String> skipped, Duration took) {
        StringBuilder md = new StringBuilder();
        md.append("Fault suite, ")
                .append(o.quick() ? "quick" : "full")
                .append(" form, ")
                .append(Instant.now().toString(), 0, 16)
                .append("Z, ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores (load average at the end: ")
                .append(loadAverage())
                .append("), ")
                .append(took.toMinutes())
                .append(" min ")
                .append(took.toSecondsPart())
                .append(" s\n\n");
        md.append(
                "| scenario | requests (with stream id) | line items | spend per key = ledger |"
                        + " lost | double-counted | orphans | missing-usage alerts expected/got |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ")
                    .append(r.scenario())
                    .append(" | ")
                    .append(r.requests())
                    .append(" (")
                    .append(r.withStreamId())
                    .append(") | ")
                    .append(r.lineItems())
                    .append(" | ")
                    .append(r.spendEqual() ? "yes" : "**no**")
                    .append(" | ")
                    .append(r.lost() > 0 ? "**" + r.lost() + "**" : "0")
                    .append(" | ")
                    .append(r.doubleCounted() > 0 ? "**" + r.doubleCounted() + "**" : "0")
                    .append(" | ")
                    .append(r.orphans())
                    .append(" | ")
                    .append(r.alertsExpected())
                    .append("/")
                    .append(r.alertsGot())
                    .append(" |\n");
        }
        for (String s : skipped) {
            md.append("| ").append(s.replaceFirst(": ", " | ")).append(" | | | | | | |\n");
        }
        md.append("\nWhat each fault was observed to do:\n\n");
        for (Row r : rows) {
            md.append("- ").append(r.scenario()).append(": ").append(r.proof()).append('\n');
        }
        for (Row r : rows) {
            if (r.findings().isEmpty()) {
                continue;
            }
            md.append("\nFindings of ")
                    .append(r.scenario())
                    .append(" (")
                    .append(r.findings().size())
                    .append("):\n\n");
            r.findings().stream()
                    .limit(FINDINGS_SHOWN)
                    .forEach(f -> md.append("- ").append(f).append('\n'));
            if (r.findings().size() > FINDINGS_SHOWN) {
                md.append("- … ").append(r.findings().size() - FINDINGS_SHOWN).append(" more\n");
            }
        }
        return md.toString();
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine slows restarts. */
    private static String loadAverage() {
        try {
            String[] parts =
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                            .split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
