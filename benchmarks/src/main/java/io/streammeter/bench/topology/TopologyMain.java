package io.streammeter.bench.topology;

import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.config.Flags;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The topology throughput benchmark: pre-loads {@code stream-events}, reads it with a plain
 * consumer (the ceiling), runs metering over it with exactly_once_v2 and with at_least_once until
 * {@code spend-hourly} accounts for every stream, then measures stream end to spend row latency
 * under a steady load. Writes {@code topology.md} and {@code topology.json}.
 *
 * <pre>
 * TopologyMain --bootstrap 127.0.0.1:19092 --out DIR [--events 1000000] [--latency-seconds 20]
 *              [--latency-rate 2000] [--state DIR] [--jfr FILE] [--stream-threads N]
 *              [--kafka name=value,name=value]
 * </pre>
 */
public final class TopologyMain {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

    private TopologyMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args);
        boolean quick = Boolean.parseBoolean(flags.getOrDefault("quick", "false"));
        String bootstrap = flags.getOrDefault("bootstrap", "127.0.0.1:19092");
        long events = Long.parseLong(flags.getOrDefault("events", quick ? "200000" : "1000000"));
        int latencySeconds =
                Integer.parseInt(flags.getOrDefault("latency-seconds", quick ? "8" : "20"));
        int latencyRate = Integer.parseInt(flags.getOrDefault("latency-rate", "2000"));
        Path out = Path.of(flags.getOrDefault("out", "target/results"));
        if (flags.containsKey("stream-threads")) {
            kafka.put("num.stream.threads", flags.get("stream-threads"));
        }
        for (String setting : flags.getOrDefault("kafka", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                if (setting.isBlank()) {
                    continue;
                }
                throw new IllegalArgumentException("--kafka takes name=value pairs: " + setting);
            }
            kafka.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
        }
        Path state = Path.of(flags.getOrDefault("state", "target/bench-run/state"));
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

        TopicCatalog catalog = provision(bootstrap, "topo-" + run + ".");
        List<String> md = new ArrayList<>();
        md.add("## Topology throughput" + (quick ? " (quick mode: fewer events)" : "") + "\n");

        // 1. Pre-load: event times spread over 90 minutes of the past, so no spend entry is late.
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        long perEvent = Duration.ofMinutes(90).toNanos() / events;
        EventMix mix = new EventMix(42, run, events, 256);
        long loadStart = System.nanoTime();
        try (KafkaProducer<String, StreamEvent> producer =
                Clients.producer(bootstrap, catalog.streamEvents(), 20)) {
            for (long i = 0; mix.hasNext(); i++) {
                StreamEvent event = mix.next(base.plusNanos(i * perEvent));
                producer.send(
                        new ProducerRecord<>(
                                catalog.streamEvents().name(), event.getStreamId(), event));
            }
            producer.flush();
        }
        long loadNanos = System.nanoTime() - loadStart;
        long loaded = mix.emitted();
        long streams = mix.streams();
        log(
                String.format(
                        "loaded %d events of %d streams in %.1f s",
                        loaded, streams, loadNanos / 1e9));

        // 2. The ceiling.
        long ceilingNanos = Ceiling.read(bootstrap, catalog.streamEvents(), loaded);
        double ceiling = loaded * 1e9 / ceilingNanos;
        log(String.format("plain consumer: %.0f events/s", ceiling));

        // 3. Metering, both guarantees. A first pass (not reported) warms the JIT: a long-running
        // metering is compiled code, and without it the first measured run spent a third of the
        // machine in the C2 compiler thread. The profile, when asked, is a pass of its own after
        // the measured ones: JFR's profile settings cost exactly-once a third of its events/s.
        RunResult warmup =
                meter(bootstrap, catalog, "at_least_once", run + "-warmup", state, loaded, streams);
        log(String.format("warm-up pass: %.0f events/s (not reported)", warmup.eventsPerSecond()));
        List<RunResult> results = new ArrayList<>();
        for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
            results.add(meter(bootstrap, catalog, guarantee, run, state, loaded, streams));
        }
        String jfr = flags.get("jfr");
        if (jfr != null) {
            try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
                recording.start();
                RunResult profiled =
                        meter(
                                bootstrap,
                                catalog,
                                "exactly_once_v2",
                                run + "-jfr",
                                state,
                                loaded,
                                streams);
                recording.stop();
                recording.dump(Path.of(jfr));
                log(
                        String.format(
                                "profiled pass: %.0f events/s (under JFR)",
                                profiled.eventsPerSecond()));
            }
        }

        md.add(
                String.format(
                        Locale.ROOT,
                        "%d events (%d streams, 200 keys, 5 models, ~30 chunks per stream; 90%%"
                                + " completed, 4%% client disconnects, 3%% truncations, 3%% upstream"
                                + " errors and timeouts) on 3 partitions, pre-loaded at %.0f events/s"
                                + " by an idempotent acks=all producer.\n",
                        loaded,
                        streams,
                        loaded * 1e9 / loadNanos));
        md.add(
                "| reader | events/s | ratio to plain consumer | time to RUNNING (s) | time until"
                        + " spend-hourly complete (s) | requests in spend-hourly | target |");
        md.add("|---|---:|---:|---:|---:|---:|---|");
        md.add(
                String.format(
                        Locale.ROOT,
                        "| plain KafkaConsumer, values decoded (ceiling) | %.0f | 1.000 | | %.1f"
                                + " (read all) | | |",
                        ceiling,
                        ceilingNanos / 1e9));
        for (RunResult r : results) {
            md.add(
                    String.format(
                            Locale.ROOT,
                            "| metering, %s | %.0f | %.3f | %.1f | %.1f | %d of %d | %s |",
                            r.guarantee,
                            r.eventsPerSecond(),
                            r.eventsPerSecond() / ceiling,
                            r.runningNanos / 1e9,
                            r.completeNanos / 1e9,
                            r.requests,
                            streams,
                            r.guarantee.startsWith("exactly")
                                    ? "≥ 100,000 events/s and ≥ 0.5× the plain consumer"
                                    : ""));
        }
        md.add(
                "\nevents/s = events / (time spend-hourly complete − time metering reached"
                        + " RUNNING); the plain consumer's from its first poll. Both runs follow an"
                        + " unreported at_least_once pass over the same topic that warms the JIT; the profile"
                        + " below is a further exactly_once_v2 pass under JFR.\n");

        // 4. Latency under a steady load.
        TopicCatalog latencyCatalog = provision(bootstrap, "lat-" + run + ".");
        Histogram latency;
        long ends;
        long matched;
        MeteringConfig config =
                config(bootstrap, latencyCatalog, "exactly_once_v2", "lat-" + run, state);
        try (Metering metering = Metering.start(config)) {
            if (!metering.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("metering did not reach RUNNING in 60 s");
            }
            EndToSpendLatency probe = new EndToSpendLatency();
            try (SpendWatcher watcher =
                    new SpendWatcher(bootstrap, latencyCatalog.spendHourly(), probe)) {
                steadyLoad(bootstrap, latencyCatalog, probe, latencyRate, latencySeconds, run);
                try {
                    probe.allSeen().get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    log("latency: not every stream end reached spend-hourly within 30 s");
                }
            }
            latency = probe.histogram();
            ends = probe.ends();
            matched = probe.matched();
        }
        md.add("### Stream end to spend row, steady load (exactly_once_v2)\n");
        md.add("| figure | value | target |");
        md.add("|---|---:|---|");
        md.add(
                String.format(
                        Locale.ROOT,
                        "| load | %d events/s for %d s | |",
                        latencyRate,
                        latencySeconds));
        md.add(
                String.format(
                        Locale.ROOT,
                        "| stream ends sent / seen in spend-hourly | %d / %d | all |",
                        ends,
                        matched));
        md.add(
                String.format(
                        Locale.ROOT,
                        "| p50 (ms) | %.1f | |",
                        latency.getValueAtPercentile(50) / 1000.0));
        md.add(
                String.format(
                        Locale.ROOT,
                        "| p99 (ms) | %.1f | ≤ 1000 |",
                        latency.getValueAtPercentile(99) / 1000.0));
        md.add(String.format(Locale.ROOT, "| max (ms) | %.1f | |", latency.getMaxValue() / 1000.0));
        md.add("");

        Files.createDirectories(out);
        String text = String.join("\n", md) + "\n";
        Files.writeString(out.resolve("topology.md"), text);
        System.out.println(text);
    }

    private record RunResult(
            String guarantee, long events, long runningNanos, long completeNanos, long requests) {
        double eventsPerSecond() {
            return events * 1e9 / (completeNanos - runningNanos);
        }
    }

    private static RunResult meter(
            String bootstrap,
            TopicCatalog catalog,
            String guarantee,
            String run,
            Path state,
            long events,
            long streams)
            throws Exception {
        String app = "topo-" + run + "-" + guarantee.replace('_', '-');
        MeteringConfig config = config(bootstrap, catalog, guarantee, app, state);
        Completion completion = new Completion(streams);
        try (SpendWatcher watcher =
                new SpendWatcher(bootstrap, catalog.spendHourly(), completion)) {
            long start = System.nanoTime();
            try (Metering metering = Metering.start(config)) {
                if (!metering.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("metering did not reach RUNNING in 60 s");
                }
                long running = System.nanoTime() - start;
                long done;
                try {
                    done = completion.doneAt().get(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS) - start;
                } catch (TimeoutException e) {
                    throw new IllegalStateException(
                            guarantee
                                    + ": spend-hourly counted "
                                    + completion.requests()
                                    + " of "
                                    + streams
                                    + " streams after "
                                    + RUN_LIMIT);
                }
                log(
                        String.format(
                                "%s: RUNNING after %.1f s, spend-hourly complete after %.1f s (%.0f"
                                        + " events/s)",
                                guarantee,
                                running / 1e9,
                                done / 1e9,
                                events * 1e9 / (done - running)));
                return new RunResult(guarantee, events, running, done, completion.requests());
            }
        }
    }

    private static MeteringConfig config(
            String bootstrap, TopicCatalog catalog, String guarantee, String app, Path state) {
        MeteringConfig config =
                MeteringConfig.defaults()
                        .with("bootstrap-servers", bootstrap)
                        .with("application-id", app)
                        .with("topic-prefix", catalog.prefix())
                        .with("processing-guarantee", guarantee)
                        .with("state-dir", state.resolve(app).toAbsolutePath().toString())
                        // the benchmark reads metrics in-process; nobody queries its API
                        .with("auth.mode", "none")
                        .with("query-port", "0");
        return kafka.isEmpty() ? config : config.withKafka(kafka);
    }

    /**
     * Kafka Streams settings of each run over metering's defaults: {@code --stream-threads N},
     * {@code --kafka name=value,name=value}.
     */
    private static final Map<String, String> kafka = new java.util.LinkedHashMap<>();

    /** Sends a steady {@code rate} of events for {@code seconds}, paced by a 10 ms timer. */
    private static void steadyLoad(
            String bootstrap,
            TopicCatalog catalog,
            EndToSpendLatency probe,
            int rate,
            int seconds,
            String run)
            throws InterruptedException {
        EventMix mix = EventMix.endless(7, "lat" + run, 256);
        java.util.Map<String, String> requested = new java.util.HashMap<>();
        int perTick = Math.max(1, rate / 100);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, StreamEvent> producer =
                Clients.producer(bootstrap, catalog.streamEvents(), 5)) {
            timer.scheduleAtFixedRate(
                    () -> {
                        for (int i = 0; i < perTick; i++) {
                            StreamEvent event = mix.next(Instant.now());
                            if (event.getPayload() instanceof StreamStarted started) {
                                probe.started(event.getStreamId(), started.getKeyId());
                                requested.put(event.getStreamId(), started.getModelRequested());
                            } else if (EventMix.isEnd(event)) {
                                probe.ending(
                                        event,
                                        requested.remove(event.getStreamId()),
                                        System.nanoTime());
                            }
                            producer.send(
                                    new ProducerRecord<>(
                                            catalog.streamEvents().name(),
                                            event.getStreamId(),
                                            event));
                        }
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);
            // The run's length: a bounded wait on the pacing timer, which keeps sending meanwhile.
            timer.awaitTermination(seconds, TimeUnit.SECONDS);
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            producer.flush();
        } finally {
            timer.shutdownNow();
        }
    }

    private static TopicCatalog provision(String bootstrap, String prefix) {
        TopicCatalog catalog = new TopicCatalog(prefix);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin).provision(catalog);
        }
        return catalog;
    }

    static void log(String line) {
        System.err.println("topology: " + line);
    }
}
