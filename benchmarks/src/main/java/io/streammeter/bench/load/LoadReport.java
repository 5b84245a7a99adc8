package io.streammeter.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** The load benchmark's figures as Markdown tables and as JSON. */
final class LoadReport {
    private final List<SideResult[]> results;
    private final boolean quick;

    LoadReport(List<SideResult[]> results, boolean quick) {
        this.results = results;
        this.quick = quick;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Relay load benchmark")
                .append(quick ? " (quick mode: short windows, idle-open scaled down)" : "")
                .append("\n\n");
        md.append(
                "Chunk = SSE data event other than `[DONE]` (35 per stream: role, 32 content,"
                        + " finish, usage). CPU from /proc utime+stime over every chunk of the"
                        + " side. Ratios are relay / direct, measured in the same run.\n\n");
        for (SideResult[] pair : results) {
            SideResult d = pair[0];
            SideResult r = pair[1];
            md.append("### ").append(d.scenario).append("\n\n");
            md.append("| figure | direct | relay | relay / direct | target |\n");
            md.append("|---|---:|---:|---:|---|\n");
            boolean once = d.windowNanos == 0;
            if (!once) {
                row(md, "streams/s", d.streamsPerSecond(), r.streamsPerSecond(), "%.1f", target(d));
                row(md, "chunks/s", d.chunksPerSecond(), r.chunksPerSecond(), "%.0f", "");
            }
            row(md, "time to first chunk p50 (ms)", p(d.ttfc, 50), p(r.ttfc, 50), "%.3f", "");
            row(md, "time to first chunk p99 (ms)", p(d.ttfc, 99), p(r.ttfc, 99), "%.3f", "");
            row(md, "inter-chunk gap p99 (ms)", p(d.gap, 99), p(r.gap, 99), "%.3f", "");
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| added time to first chunk p50 (ms) | | %.3f | | %s |%n",
                            p(r.ttfc, 50) - p(d.ttfc, 50),
                            ttfcTarget(d.scenario)));
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| relay CPU per chunk (µs) | | %.2f | | %s |%n",
                            r.perChunk(r.relayCpu),
                            d.scenario.equals("burst") ? "≤ 8" : ""));
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| of which kernel (stime) | | %.2f | | |%n",
                            r.perChunk(r.relaySystemCpu)));
            row(
                    md,
                    "simulator CPU per chunk (µs)",
                    d.perChunk(d.simulatorCpu),
                    r.perChunk(r.simulatorCpu),
                    "%.2f",
                    "");
            row(
                    md,
                    "broker CPU per chunk (µs)",
                    d.perChunk(d.brokerCpu),
                    r.perChunk(r.brokerCpu),
                    "%.2f",
                    "");
            row(
                    md,
                    "load generator CPU per chunk (µs)",
                    d.perChunk(d.loadCpu),
                    r.perChunk(r.loadCpu),
                    "%.2f",
                    "");
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| relay RSS / peak RSS (MiB) | | %.0f / %.0f | | |%n",
                            r.relayRssKib / 1024.0,
                            r.relayHwmKib / 1024.0));
            if (once) {
                memoryRows(md, d, r);
            }
            row(md, "client reads per stream", reads(d), reads(r), "%.1f", "");
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| streams checked complete | %d | %d | | all |%n",
                            d.streamsTotal,
                            r.streamsTotal));
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| errors: status / failed / incomplete / unfinished | %s | %s | | 0"
                                    + " |%n%n",
                            errors(d),
                            errors(r)));
        }
        return md.toString();
    }

    private static void memoryRows(StringBuilder md, SideResult d, SideResult r) {
        md.append(
                String.format(
                        Locale.ROOT,
                        "| streams open at the memory snapshot | %d | %d | | |%n",
                        d.openAtSample,
                        r.openAtSample));
        md.append(
                String.format(
                        Locale.ROOT,
                        "| live heap per open stream, after full GC (KiB) | %.2f (simulator) |"
                                + " %.2f | | |%n",
                        kib(SideResult.perStream(d.heapBeforeKib, d.heapOpenKib, d.openAtSample)),
                        kib(SideResult.perStream(r.heapBeforeKib, r.heapOpenKib, r.openAtSample))));
        md.append(
                String.format(
                        Locale.ROOT,
                        "| RSS growth per open stream (KiB) | %.2f (simulator) | %.2f | | ≤ 16"
                                + " |%n",
                        kib(SideResult.perStream(d.rssBeforeKib, d.rssOpenKib, d.openAtSample)),
                        kib(SideResult.perStream(r.rssBeforeKib, r.rssOpenKib, r.openAtSample))));
    }

    private static String target(SideResult d) {
        return switch (d.scenario) {
            case "burst" -> "≥ 0.80×";
            case "paced-heavy" -> "≥ 0.98×";
            default -> "";
        };
    }

    private static String ttfcTarget(String scenario) {
        return switch (scenario) {
            case "paced" -> "≤ 0.3";
            case "paced-heavy" -> "≤ 1";
            default -> "";
        };
    }

    private static void row(
            StringBuilder md, String name, double d, double r, String format, String target) {
        String ratio = d > 0 && !Double.isNaN(r) ? String.format(Locale.ROOT, "%.3f", r / d) : "";
        md.append("| ")
                .append(name)
                .append(" | ")
                .append(String.format(Locale.ROOT, format, d))
                .append(" | ")
                .append(String.format(Locale.ROOT, format, r))
                .append(" | ")
                .append(ratio)
                .append(" | ")
                .append(target)
                .append(" |\n");
    }

    private static double p(org.HdrHistogram.Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double reads(SideResult s) {
        return s.streamsTotal == 0 ? Double.NaN : (double) s.readsTotal / s.streamsTotal;
    }

    private static double kib(double bytes) {
        return bytes / 1024.0;
    }

    private static String errors(SideResult s) {
        return s.statusErrors + " / " + s.failures + " / " + s.incomplete + " / " + s.unfinished;
    }

    JsonObject json() {
        JsonArray scenarios = new JsonArray();
        for (SideResult[] pair : results) {
            scenarios.add(
                    new JsonObject()
                            .put("scenario", pair[0].scenario)
                            .put("direct", side(pair[0]))
                            .put("relay", side(pair[1])));
        }
        return new JsonObject().put("quick", quick).put("scenarios", scenarios);
    }

    private static JsonObject side(SideResult s) {
        return new JsonObject()
                .put("runs", s.runs)
                .put("windowSeconds", s.windowNanos / 1e9)
                .put("streamsPerSecond", s.streamsPerSecond())
                .put("chunksPerSecond", s.chunksPerSecond())
                .put("streamsChecked", s.streamsTotal)
                .put("chunks", s.chunksTotal)
                .put("bytes", s.bytesTotal)
                .put("ttfcP50Ms", p(s.ttfc, 50))
                .put("ttfcP99Ms", p(s.ttfc, 99))
                .put("gapP99Ms", p(s.gap, 99))
                .put("relayCpuMicrosPerChunk", s.perChunk(s.relayCpu))
                .put("relaySystemCpuMicrosPerChunk", s.perChunk(s.relaySystemCpu))
                .put("simulatorCpuMicrosPerChunk", s.perChunk(s.simulatorCpu))
                .put("brokerCpuMicrosPerChunk", s.perChunk(s.brokerCpu))
                .put("loadCpuMicrosPerChunk", s.perChunk(s.loadCpu))
                .put("relayRssKib", s.relayRssKib)
                .put("relayHwmKib", s.relayHwmKib)
                .put("simulatorRssKib", s.simulatorRssKib)
                .put("openAtSample", s.openAtSample)
                .put("heapBeforeKib", s.heapBeforeKib)
                .put("heapOpenKib", s.heapOpenKib)
                .put("rssBeforeKib", s.rssBeforeKib)
                .put("rssOpenKib", s.rssOpenKib)
                .put("statusErrors", s.statusErrors)
                .put("failures", s.failures)
                .put("incomplete", s.incomplete)
                .put("unfinished", s.unfinished);
    }
}
