package io.streammeter.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one side of a scenario: {@code concurrency} workers on one event loop, each sending a
 * streaming chat completion and reading it to its end, then the next (or once, for idle-open).
 * Connections are pooled, one per worker. All worker state lives on the event loop; the calling
 * thread only starts, samples /proc and waits.
 */
final class SideRun {
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Scenario scenario;
    private final Side side;
    private final URI target;
    private final Pids pids;
    private final Buffer body;
    private final Path histogram;
    private final SideResult result;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final List<Worker> workers = new ArrayList<>();
    private Context context;
    private HttpClientAgent client;
    private long windowStart;
    private long windowEnd;
    private int running;
    private volatile int openStreams;
    private boolean stopped;

    /**
     * @param histogram where to write the serving JVM's class histogram at the idle-open snapshot,
     *     or null
     */
    SideRun(
            Vertx vertx,
            Scenario scenario,
            Side side,
            URI target,
            Pids pids,
            Buffer body,
            Path histogram) {
        this.vertx = vertx;
        this.histogram = histogram;
        this.scenario = scenario;
        this.side = side;
        this.target = target;
        this.pids = pids;
        this.body = body;
        this.result = new SideResult(scenario.name(), side);
    }

    SideResult run() throws InterruptedException {
        long servingPid = side == Side.RELAY ? pids.relay() : pids.simulator();
        if (scenario.once()) {
            result.heapBeforeKib = ProcStats.liveHeapKib(servingPid);
            result.rssBeforeKib = ProcStats.statusKib(servingPid, "VmRSS");
        }
        client =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setTcpNoDelay(true)
                                .setKeepAlive(true)
                                .setConnectTimeout(10_000),
                        new PoolOptions()
                                .setHttp1MaxSize(scenario.concurrency())
                                .setMaxWaitQueueSize(-1));
        long relayCpu = ProcStats.cpuMicros(pids.relay());
        long relaySystem = ProcStats.systemMicros(pids.relay());
        long simCpu = ProcStats.cpuMicros(pids.simulator());
        long brokerCpu = ProcStats.cpuMicros(pids.broker());
        long loadCpu = ProcStats.cpuMicros(Pids.self());
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> start());
        if (scenario.once()) {
            sampleOpenStreams(servingPid);
        }
        Duration limit =
                scenario.once()
                        ? scenario.ramp().plus(scenario.streamDuration()).plus(DRAIN)
                        : scenario.window().plus(scenario.streamDuration()).plus(DRAIN);
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            CompletableFuture<Void> stop = new CompletableFuture<>();
            context.runOnContext(v -> stop.complete(abandon()));
            await(stop, Duration.ofSeconds(10));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        result.relayCpu = delta(relayCpu, ProcStats.cpuMicros(pids.relay()));
        result.relaySystemCpu = delta(relaySystem, ProcStats.systemMicros(pids.relay()));
        result.simulatorCpu = delta(simCpu, ProcStats.cpuMicros(pids.simulator()));
        result.brokerCpu = delta(brokerCpu, ProcStats.cpuMicros(pids.broker()));
        result.loadCpu = delta(loadCpu, ProcStats.cpuMicros(Pids.self()));
        result.relayRssKib = ProcStats.statusKib(pids.relay(), "VmRSS");
        result.relayHwmKib = ProcStats.statusKib(pids.relay(), "VmHWM");
        result.simulatorRssKib = ProcStats.statusKib(pids.simulator(), "VmRSS");
        result.runs = 1;
        try {
            client.close().await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("load: HTTP client did not close within 10 s");
        }
        return result;
    }

    /** idle-open: once every stream is open and has settled, snapshot the serving process. */
    private void sampleOpenStreams(long servingPid) throws InterruptedException {
        await(opened, scenario.ramp().plus(Duration.ofSeconds(60)));
        long settle = Math.max(1_000, scenario.streamDuration().toMillis() / 4);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        vertx.setTimer(settle, id -> settled.complete(null));
        await(settled, Duration.ofMillis(settle + 10_000));
        result.openAtSample = openStreams;
        result.heapOpenKib = ProcStats.liveHeapKib(servingPid);
        result.rssOpenKib = ProcStats.statusKib(servingPid, "VmRSS");
        if (histogram != null) {
            ProcStats.classHistogram(servingPid, histogram, 40);
        }
    }

    private void start() {
        // Paced workers start spread over one stream's duration, and measuring starts once they
        // are all running, so the window sees a steady state rather than waves of 32 streams.
        long ramp = scenario.once() ? 0 : scenario.streamDuration().toNanos();
        windowStart = System.nanoTime() + ramp;
        windowEnd = windowStart + scenario.window().toNanos();
        String path = target.getRawPath() + "/v1/chat/completions";
        for (int i = 0; i < scenario.concurrency(); i++) {
            RequestOptions options =
                    new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setHost(target.getHost())
                            .setPort(target.getPort())
                            .setURI(path)
                            .setIdleTimeout(Math.max(30_000, 5L * scenario.delayMs()))
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Authorization", "Bearer sk-bench-" + (i % 200))
                            .putHeader("X-Sim-Script", scenario.script());
            workers.add(new Worker(options));
        }
        running = workers.size();
        if (!scenario.once()) {
            long stagger = ramp / 1_000_000 / workers.size();
            for (int i = 0; i < workers.size(); i++) {
                Worker worker = workers.get(i);
                if (stagger == 0) {
                    worker.launch();
                } else {
                    vertx.setTimer(1 + i * stagger, id -> worker.launch());
                }
            }
            return;
        }
        long ticks = Math.max(1, scenario.ramp().toMillis() / 10);
        int perTick = (int) Math.ceil(workers.size() / (double) ticks);
        int[] next = {0};
        vertx.setPeriodic(
                10,
                id -> {
                    int until = Math.min(workers.size(), next[0] + perTick);
                    for (; next[0] < until; next[0]++) {
                        workers.get(next[0]).launch();
                    }
                    if (next[0] == workers.size()) {
                        vertx.cancelTimer(id);
                        opened.complete(null);
                    }
                });
    }

    private Void abandon() {
        stopped = true;
        for (Worker worker : workers) {
            if (worker.inFlight) {
                worker.inFlight = false;
                result.unfinished++;
            }
        }
        result.windowNanos = windowNanos();
        return null;
    }

    private long windowNanos() {
        return scenario.once()
                ? 0
                : Math.max(0, Math.min(System.nanoTime(), windowEnd) - windowStart);
    }

    private void workerDone() {
        if (--running == 0) {
            result.windowNanos = windowNanos();
            done.complete(null);
        }
    }

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static void await(CompletableFuture<Void> future, Duration limit)
            throws InterruptedException {
        try {
            future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("load: " + e, e);
        }
    }

    /** One simulated client: one stream at a time on a pooled connection. */
    private final class Worker {
        private final RequestOptions options;
        private final StreamProbe probe = new StreamProbe();
        boolean inFlight;

        Worker(RequestOptions options) {
            this.options = options;
        }

        void launch() {
            if (stopped || (!scenario.once() && System.nanoTime() >= windowEnd)) {
                workerDone();
                return;
            }
            inFlight = true;
            inFlight(1);
            probe.begin(System.nanoTime());
            client.request(options)
                    .compose(request -> request.send(body))
                    .onComplete(
                            ar -> {
                                if (ar.failed()) {
                                    end(Ending.FAILED);
                                } else {
                                    read(ar.result());
                                }
                            });
        }

        private void read(HttpClientResponse response) {
            if (response.statusCode() != 200) {
                response.body().onComplete(ignored -> end(Ending.STATUS));
                return;
            }
            response.handler(
                    buffer -> {
                        long now = System.nanoTime();
                        int before = probe.events;
                        long gap = probe.onBuffer(buffer, now);
                        if (!inWindow(now)) {
                            return;
                        }
                        result.chunksInWindow +=
                                probe.events - before - (probe.lastWasDone ? 1 : 0);
                        if (gap < 0) {
                            result.ttfc.recordValue(
                                    Math.min(
                                            SideResult.MAX_MICROS,
                                            (probe.firstNanos - probe.startNanos) / 1000));
                        } else {
                            result.gap.recordValue(Math.min(SideResult.MAX_MICROS, gap / 1000));
                        }
                    });
            response.exceptionHandler(e -> end(Ending.FAILED));
            response.endHandler(
                    v ->
                            end(
                                    probe.complete(scenario.expectedEvents())
                                            ? Ending.OK
                                            : Ending.INCOMPLETE));
        }

        private void end(Ending ending) {
            if (!inFlight) {
                return;
            }
            inFlight = false;
            inFlight(-1);
            long now = System.nanoTime();
            switch (ending) {
                case OK -> {
                    int chunks = probe.events - 1;
                    result.streamsTotal++;
                    result.chunksTotal += chunks;
                    result.bytesTotal += probe.bytes;
                    result.readsTotal += probe.reads;
                    if (inWindow(now)) {
                        result.streamsInWindow++;
                    }
                }
                case STATUS -> result.statusErrors++;
                case FAILED -> result.failures++;
                case INCOMPLETE -> result.incomplete++;
            }
            if (scenario.once()) {
                workerDone();
            } else {
                launch();
            }
        }
    }

    /** Whether a moment falls in the measured window (always, for a once scenario). */
    private boolean inWindow(long now) {
        return scenario.once() || (now >= windowStart && now <= windowEnd);
    }

    private void inFlight(int change) {
        openStreams += change; // written on the event loop only; read by the sampling thread
    }

    private enum Ending {
        OK,
        STATUS,
        FAILED,
        INCOMPLETE
    }
}
