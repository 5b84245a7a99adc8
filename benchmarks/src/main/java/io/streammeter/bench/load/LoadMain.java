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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay load benchmark: drives the simulator directly and through the relay in the same run,
 * alternating the order (direct, relay, relay, direct), and writes {@code load.md} and {@code
 * load.json}.
 *
 * <pre>
 * LoadMain --direct http://127.0.0.1:18090 --relay http://127.0.0.1:18080
 *          --relay-pid N --sim-pid N --broker-pid N --out DIR [--quick true]
 *          [--scenarios burst,paced,paced-heavy,idle-open] [--window 10s] [--idle-streams 5000]
 * </pre>
 */
public final class LoadMain {
    static final String BODY =
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise"
                    + " assistant.\"},{\"role\":\"user\",\"content\":\"Explain how Kafka"
                    + " transactions give exactly-once processing, in a few paragraphs.\"}]}";

    private LoadMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args);
        boolean quick = Boolean.parseBoolean(flags.getOrDefault("quick", "false"));
        URI direct = URI.create(flags.getOrDefault("direct", "http://127.0.0.1:18090"));
        URI relay = URI.create(flags.getOrDefault("relay", "http://127.0.0.1:18080"));
        Pids pids =
                new Pids(
                        Long.parseLong(flags.getOrDefault("relay-pid", "0")),
                        Long.parseLong(flags.getOrDefault("sim-pid", "0")),
                        Long.parseLong(flags.getOrDefault("broker-pid", "0")));
        Path out = Path.of(flags.getOrDefault("out", "target/results"));
        Duration window = ConfigTypes.duration(flags.getOrDefault("window", quick ? "4s" : "15s"));
        Duration warmup = ConfigTypes.duration(flags.getOrDefault("warmup", quick ? "4s" : "30s"));
        int idleStreams =
                Integer.parseInt(flags.getOrDefault("idle-streams", quick ? "1000" : "5000"));
        List<Side> sides =
                flags.getOrDefault("sides", "direct,relay").equals("relay")
                        ? List.of(Side.RELAY)
                        : List.of(Side.DIRECT, Side.RELAY);
        List<String> names =
                List.of(
                        flags.getOrDefault("scenarios", "burst,paced,paced-heavy,idle-open")
                                .split(","));

        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("burst", new Scenario("burst", 32, 32, 0, window, false, Duration.ZERO));
        all.put("paced", new Scenario("paced", 32, 32, 20, window, false, Duration.ZERO));
        all.put(
                "paced-heavy",
                new Scenario("paced-heavy", 256, 32, 20, window, false, Duration.ZERO));
        all.put(
                "idle-open",
                new Scenario(
                        "idle-open",
                        idleStreams,
                        32,
                        quick ? 250 : 1000,
                        Duration.ZERO,
                        true,
                        Duration.ofSeconds(quick ? 2 : 5)));

        Files.createDirectories(out);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer body = Buffer.buffer(BODY);
        List<SideResult[]> results = new ArrayList<>();
        try {
            Scenario warm = new Scenario("warmup", 32, 32, 0, warmup, false, Duration.ZERO);
            log("warm-up: " + warmup.toSeconds() + " s through the relay, then direct");
            new SideRun(vertx, warm, Side.RELAY, relay, pids, body, null).run();
            if (sides.size() > 1) {
                new SideRun(vertx, warm, Side.DIRECT, direct, pids, body, null).run();
            }
            for (String name : names) {
                Scenario scenario = all.get(name.trim());
                if (scenario == null) {
                    throw new IllegalArgumentException("unknown scenario " + name);
                }
                results.add(run(vertx, scenario, sides, direct, relay, pids, body, out));
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        Files.createDirectories(out);
        LoadReport report = new LoadReport(results, quick);
        String name = flags.getOrDefault("name", "load");
        write(out.resolve(name + ".md"), report.markdown());
        write(out.resolve(name + ".json"), report.json().encodePrettily());
        System.out.println(report.markdown());
    }

    /**
     * One scenario, sides alternating: direct, relay, relay, direct (idle-open: once each; the
     * relay alone when profiling).
     */
    private static SideResult[] run(
            Vertx vertx,
            Scenario scenario,
            List<Side> sides,
            URI direct,
            URI relay,
            Pids pids,
            Buffer body,
            Path out)
            throws InterruptedException {
        List<Side> order =
                sides.size() == 1
                        ? sides
                        : scenario.once()
                                ? List.of(Side.DIRECT, Side.RELAY)
                                : List.of(Side.DIRECT, Side.RELAY, Side.RELAY, Side.DIRECT);
        SideResult directTotal = new SideResult(scenario.name(), Side.DIRECT);
        SideResult relayTotal = new SideResult(scenario.name(), Side.RELAY);
        for (Side side : order) {
            URI target = side == Side.RELAY ? relay : direct;
            Path histogram =
                    scenario.once() && side == Side.RELAY
                            ? out.resolve("relay-idle-open-histogram.txt")
                            : null;
            SideResult one =
                    new SideRun(vertx, scenario, side, target, pids, body, histogram).run();
            log(
                    String.format(
                            "%-11s %-6s %8.1f streams/s, ttfc p50 %6.2f ms, errors %d",
                            scenario.name(),
                            side,
                            one.streamsPerSecond(),
                            one.ttfc.getValueAtPercentile(50) / 1000.0,
                            one.errors()));
            (side == Side.RELAY ? relayTotal : directTotal).merge(one);
        }
        return new SideResult[] {directTotal, relayTotal};
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    static void log(String line) {
        System.err.println("load: " + line);
    }
}
