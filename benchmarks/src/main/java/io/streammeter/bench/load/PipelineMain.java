package io.streammeter.bench.load;

import io.streammeter.config.ConfigTypes;
import io.streammeter.config.Flags;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole-pipeline benchmark of one stack (relay, broker and metering as separate JVMs, or {@code
 * streammeter local} as one): the first window right after the stack is ready, a stated warm-up,
 * then burst, paced and paced-heavy, each direct (straight to the simulator), through the stack
 * and, when given, through nginx. Measures from outside only: HTTP, {@code /proc} and metering's
 * {@code /metrics} and consumer group, so it does not depend on the relay's record shape. Appends
 * its rows to one Markdown table.
 *
 * <pre>
 * PipelineMain --run split --direct http://127.0.0.1:18090 --relay http://127.0.0.1:18080
 *              [--nginx http://127.0.0.1:18070] --pids relay=N,broker=N,metering=N,simulator=N
 *              --metering-metrics http://127.0.0.1:18081/metrics --bootstrap 127.0.0.1:19092
 *              --group streammeter-metering [--metering-token-file FILE] --table FILE
 *              [--quick true] [--first 30s] [--warmup 20s] [--window 12s]
 * </pre>
 */
public final class PipelineMain {
    private PipelineMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args);
        boolean quick = Boolean.parseBoolean(flags.getOrDefault("quick", "false"));
        String run = flags.getOrDefault("run", "split");
        URI direct = URI.create(flags.getOrDefault("direct", "http://127.0.0.1:18090"));
        URI relay = URI.create(flags.getOrDefault("relay", "http://127.0.0.1:18080"));
        String nginxFlag = flags.getOrDefault("nginx", "");
        URI nginx = nginxFlag.isBlank() ? null : URI.create(nginxFlag);
        Map<String, Long> pids = pids(flags.getOrDefault("pids", ""));
        Duration first = ConfigTypes.duration(flags.getOrDefault("first", quick ? "8s" : "30s"));
        Duration warmup = ConfigTypes.duration(flags.getOrDefault("warmup", quick ? "4s" : "20s"));
        Duration window = ConfigTypes.duration(flags.getOrDefault("window", quick ? "4s" : "12s"));
        Path table = Path.of(flags.getOrDefault("table", "target/results/pipeline.md"));
        MeteringProbe probe =
                new MeteringProbe(
                        flags.get("metering-metrics"),
                        token(flags.getOrDefault("metering-token-file", "")),
                        flags.get("bootstrap"),
                        flags.getOrDefault("group", "streammeter-metering"));

        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("burst", new Scenario("burst", 32, 32, 0, window, false, Duration.ZERO));
        scenarios.put("paced", new Scenario("paced", 32, 32, 20, window, false, Duration.ZERO));
        scenarios.put(
                "paced-heavy",
                new Scenario("paced-heavy", 256, 32, 20, window, false, Duration.ZERO));

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer body = Buffer.buffer(LoadMain.BODY);
        List<Row> rows = new ArrayList<>();
        try {
            // What a restarted node serves: burst from the moment the stack reports ready.
            Scenario cold = new Scenario("burst", 32, 32, 0, first, false, Duration.ZERO);
            Row coldRow =
                    measure(
                            vertx,
                            cold,
                            Side.RELAY,
                            relay,
                            pids,
                            body,
                            probe,
                            run + ", first " + first.toSeconds() + " s after ready");
            log(run + " first window: " + coldRow.brief());
            rows.add(coldRow);
            log("warm-up: " + warmup.toSeconds() + " s of burst through the stack, 3 s direct");
            Scenario warm = new Scenario("warmup", 32, 32, 0, warmup, false, Duration.ZERO);
            new SideRun(vertx, warm, Side.RELAY, relay, pids(pids), body, null).run();
            Scenario warmDirect =
                    new Scenario("warmup", 32, 32, 0, Duration.ofSeconds(3), false, Duration.ZERO);
            new SideRun(vertx, warmDirect, Side.DIRECT, direct, pids(pids), body, null).run();
            Row warmBurst = null;
            for (Scenario scenario : scenarios.values()) {
                Row d =
                        measure(
                                vertx,
                                scenario,
                                Side.DIRECT,
                                direct,
                                pids,
                                body,
                                null,
                                "direct (" + run + " run)");
                Row n =
                        nginx == null
                                ? null
                                : measure(
                                        vertx,
                                        scenario,
                                        Side.RELAY,
                                        nginx,
                                        pids,
                                        body,
                                        null,
                                        "nginx (" + run + " run)");
                Row r = measure(vertx, scenario, Side.RELAY, relay, pids, body, probe, run);
                r.direct = d;
                r.nginx = n;
                if (n != null) {
                    n.direct = d;
                }
                log(run + " " + scenario.name() + ": " + r.brief());
                rows.add(d);
                if (n != null) {
                    rows.add(n);
                }
                rows.add(r);
                if (scenario.name().equals("burst")) {
                    warmBurst = r;
                    coldRow.direct = d;
                }
            }
            coldRow.warm = warmBurst;
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            probe.close();
        }
        appendRows(table, run, rows);
    }

    private static String token(String file) throws IOException {
        return file.isBlank() ? null : Files.readString(Path.of(file)).strip();
    }

    private static Row measure(
            Vertx vertx,
            Scenario scenario,
            Side side,
            URI target,
            Map<String, Long> pids,
            Buffer body,
            MeteringProbe probe,
            String label)
            throws InterruptedException {
        Map<String, Long> before = cpu(pids);
        long self = ProcStats.cpuMicros(Pids.self());
        if (probe != null) {
            probe.start();
        }
        SideResult result =
                new SideRun(vertx, scenario, side, target, pids(pids), body, null).run();
        Row row = new Row(label, scenario.name(), result);
        if (probe != null) {
            row.metering = probe.stop();
        }
        Map<String, Long> after = cpu(pids);
        for (Map.Entry<String, Long> e : before.entrySet()) {
            long a = after.getOrDefault(e.getKey(), -1L);
            row.cpu.put(e.getKey(), e.getValue() < 0 || a < 0 ? -1 : a - e.getValue());
        }
        row.cpu.put("load", ProcStats.cpuMicros(Pids.self()) - self);
        return row;
    }

    private static Map<String, Long> cpu(Map<String, Long> pids) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, ProcStats.cpuMicros(pid)));
        return cpu;
    }

    private static Pids pids(Map<String, Long> pids) {
        return new Pids(
                pids.getOrDefault("relay", pids.getOrDefault("stack", 0L)),
                pids.getOrDefault("simulator", 0L),
                pids.getOrDefault("broker", 0L));
    }

    static Map<String, Long> pids(String spec) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            pids.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
        }
        return pids;
    }

    /** Processes whose CPU is the pipeline's (not the simulator's nor the load generator's). */
    static final List<String> PIPELINE = List.of("relay", "broker", "metering", "stack");

    static final String HEADER =
            "| run | scenario | streams/s | × direct | × nginx | added TTFC p50 / p99 (ms)"
                    + " | CPU µs/chunk by process | pipeline CPU µs/chunk"
                    + " | end-to-spend p50 / p99 (s) | consumer lag max / end | errors |\n"
                    + "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|\n";

    private static void appendRows(Path table, String run, List<Row> rows) throws IOException {
        StringBuilder md = new StringBuilder();
        if (!Files.exists(table)) {
            Files.createDirectories(table.toAbsolutePath().getParent());
            md.append(HEADER);
        }
        for (Row row : rows) {
            md.append(row.markdown()).append('\n');
        }
        Files.writeString(
                table, md.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.print(md);
    }

    static void log(String line) {
        System.err.println("pipeline: " + line);
    }

    /** One measured side of one scenario, with what the probes saw while it ran. */
    static final class Row {
        final String label;
        final String scenario;
        final SideResult result;
        final Map<String, Long> cpu = new LinkedHashMap<>();
        MeteringProbe.Window metering;
        Row direct;
        Row nginx;
        Row warm;

        Row(String label, String scenario, SideResult result) {
            this.label = label;
            this.scenario = scenario;
            this.result = result;
        }

        double perChunk(String process) {
            return result.perChunk(cpu.getOrDefault(process, -1L));
        }

        double pipelinePerChunk() {
            long sum = 0;
            boolean any = false;
            for (String p : PIPELINE) {
                long v = cpu.getOrDefault(p, -1L);
                if (v >= 0) {
                    sum += v;
                    any = true;
                }
            }
            return any ? result.perChunk(sum) : Double.NaN;
        }

        static double p(org.HdrHistogram.Histogram h, double pct) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(pct) / 1000.0;
        }

        String brief() {
            return String.format(
                    Locale.ROOT,
                    "%.1f streams/s, ttfc p50 %.2f ms, pipeline %.1f µs/chunk, errors %d",
                    result.streamsPerSecond(),
                    p(result.ttfc, 50),
                    pipelinePerChunk(),
                    result.errors());
        }

        String markdown() {
            boolean isDirect = label.startsWith("direct");
            StringBuilder byProcess = new StringBuilder();
            cpu.forEach(
                    (name, micros) -> {
                        if (micros >= 0 && (!isDirect || !PIPELINE.contains(name))) {
                            if (byProcess.length() > 0) {
                                byProcess.append(", ");
                            }
                            byProcess.append(
                                    String.format(
                                            Locale.ROOT, "%s %.1f", name, result.perChunk(micros)));
                        }
                    });
            String vsDirect =
                    direct == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f×",
                                    result.streamsPerSecond() / direct.result.streamsPerSecond());
            String vsNginx =
                    nginx == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f×",
                                    result.streamsPerSecond() / nginx.result.streamsPerSecond());
            String added =
                    direct == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f / %.2f",
                                    p(result.ttfc, 50) - p(direct.result.ttfc, 50),
                                    p(result.ttfc, 99) - p(direct.result.ttfc, 99));
            String pipeline =
                    isDirect || label.startsWith("nginx")
                            ? ""
                            : String.format(Locale.ROOT, "%.1f", pipelinePerChunk());
            if (warm != null && !pipeline.isEmpty()) {
                pipeline +=
                        String.format(
                                Locale.ROOT,
                                " (%.1f× warm)",
                                pipelinePerChunk() / warm.pipelinePerChunk());
            }
            String e2s = metering == null ? "" : metering.endToSpend();
            String lag = metering == null ? "" : metering.lag();
            return String.format(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %s | %s | %s | %s | %s | %s | %s | %d |",
                    label,
                    scenario,
                    result.streamsPerSecond(),
                    vsDirect,
                    vsNginx,
                    added,
                    byProcess,
                    pipeline,
                    e2s,
                    lag,
                    result.errors());
        }
    }
}
