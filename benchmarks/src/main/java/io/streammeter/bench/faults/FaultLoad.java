package io.streammeter.bench.faults;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steady streamed load through the relay while a fault happens: {@code concurrency} clients, each
 * sending one streamed chat completion after the other, a mix of simulator scripts (usage sent
 * separately or on the finish chunk, cached tokens, no usage, an upstream cut, a client that
 * disconnects after a few events, long streams). Runs until at least {@code minRequests} were sent
 * and {@link #release()} was called (the fault is over), so the load covers the whole outage.
 *
 * <p>Every request carries a unique {@code X-Sim-Tag}, which the simulator copies into its ledger;
 * what the client saw (status, {@code X-Stream-Id}, usage, {@code [DONE]}) is kept per request.
 *
 * <p>The benchmarks' load generator ({@code bench.load}) measures latency with one fixed script per
 * scenario; this one records every request for accounting, which that one has no place for.
 */
final class FaultLoad {
    static final int KEYS = 6;
    private static final int DISCONNECT_AFTER_EVENTS = 4;

    /** One request as the client saw it. */
    record Sent(
            String tag,
            String key,
            String model,
            String kind,
            int status,
            String streamId,
            boolean sawUsage,
            boolean sawDone,
            String clientEnd) {}

    private record Kind(String name, String script, boolean disconnect) {}

    private static final List<Kind> MIX =
            List.of(
                    new Kind("usage", "chunks=16;delay-ms=40;usage=separate", false),
                    new Kind("usage", "chunks=16;delay-ms=40;usage=separate", false),
                    new Kind("cached", "chunks=16;delay-ms=40;usage=separate;cached=7", false),
                    new Kind("usage", "chunks=16;delay-ms=40;usage=separate", false),
                    new Kind("finish", "chunks=16;delay-ms=40;usage=finish", false),
                    new Kind("no-usage", "chunks=16;delay-ms=40;usage=never", false),
                    new Kind("disconnect", "chunks=60;delay-ms=40;usage=separate", true),
                    new Kind("truncated", "chunks=16;delay-ms=40;truncate-after=8", false),
                    new Kind("long", "chunks=40;delay-ms=50;usage=separate", false),
                    new Kind("usage", "chunks=16;delay-ms=40;usage=finish", false));

    private final Vertx vertx;
    private final URI relay;
    private final String scenario;
    private final String tagSuffix;
    private final int minRequests;
    private final int concurrency;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger streamed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done;
    private HttpClientAgent client;

    FaultLoad(Vertx vertx, URI relay, String scenario, int minRequests, int concurrency) {
        this(vertx, relay, scenario, "", minRequests, concurrency);
    }

    /**
     * A load whose tags carry {@code tagSuffix} after the scenario: several loads of one scenario
     * (one per relay) then share its keys and still tag every request uniquely.
     */
    FaultLoad(
            Vertx vertx,
            URI relay,
            String scenario,
            String tagSuffix,
            int minRequests,
            int concurrency) {
        this.vertx = vertx;
        this.relay = relay;
        this.scenario = scenario;
        this.tagSuffix = tagSuffix;
        this.minRequests = minRequests;
        this.concurrency = concurrency;
        this.done = new CountDownLatch(concurrency);
    }

    static String key(String scenario, int n) {
        return "sk-fault-" + scenario + "-" + (n % KEYS);
    }

    void start() {
        client =
                vertx.createHttpClient(
                        new HttpClientOptions().setKeepAlive(true).setConnectTimeout(3_000),
                        new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(-1));
        for (int i = 0; i < concurrency; i++) {
            vertx.setTimer(1 + i * 90L, id -> launch());
        }
    }

    /** The fault is over: clients stop once {@code minRequests} have been sent. */
    void release() {
        released.set(true);
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Requests the relay answered with a stream id so far. */
    int streamedSoFar() {
        return streamed.get();
    }

    /** Waits for every client to finish its last request; returns what was sent. */
    List<Sent> await(Duration limit) throws Exception {
        if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("load did not finish within " + limit);
        }
        client.close().await(10, TimeUnit.SECONDS);
        return new ArrayList<>(sent);
    }

    private void launch() {
        if (streamed.get() >= minRequests && released.get()) {
            done.countDown();
            return;
        }
        int n = next.getAndIncrement();
        Kind kind = MIX.get(n % MIX.size());
        String tag = scenario + tagSuffix + "-" + n;
        String key = key(scenario, n);
        String model = n % 2 == 0 ? "gpt-4o-mini" : "gpt-4o";
        Buffer body =
                Buffer.buffer(
                        "{\"model\":\""
                                + model
                                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"fault run "
                                + tag
                                + "\"}]}");
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(relay.getHost())
                        .setPort(relay.getPort())
                        .setURI("/v1/chat/completions")
                        .setIdleTimeout(60_000)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Authorization", "Bearer " + key)
                        .putHeader("X-Sim-Script", kind.script())
                        .putHeader("X-Sim-Tag", tag);
        inFlight.incrementAndGet();
        Request request = new Request(tag, key, model, kind);
        client.request(options)
                .compose(r -> r.send(body))
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                request.end(-1, null, "refused-or-failed", 500);
                            } else {
                                request.read(ar.result());
                            }
                        });
    }

    /** One request in flight; its callbacks all run on one event loop. */
    private final class Request {
        private final String tag;
        private final String key;
        private final String model;
        private final Kind kind;
        private final StringBuilder text = new StringBuilder();
        private int events;
        private boolean ended;

        Request(String tag, String key, String model, Kind kind) {
            this.tag = tag;
            this.key = key;
            this.model = model;
            this.kind = kind;
        }

        void read(HttpClientResponse response) {
            int status = response.statusCode();
            String streamId = response.getHeader("X-Stream-Id");
            if (status != 200) {
                // A refused request (503 from a full spool under 'reject', say) served nothing:
                // there is nothing to bill, so it carries no stream id to account for.
                response.body().onComplete(ar -> end(status, null, "status", 200));
                return;
            }
            response.handler(
                    buffer -> {
                        String chunk = buffer.toString();
                        text.append(chunk);
                        events += count(chunk, "\n\n");
                        if (kind.disconnect() && events >= DISCONNECT_AFTER_EVENTS && !ended) {
                            end(status, streamId, "client-disconnect", 0);
                            response.request().reset();
                        }
                    });
            response.exceptionHandler(e -> end(status, streamId, "broken", 200));
            response.endHandler(v -> end(status, streamId, "end", 0));
        }

        void end(int status, String streamId, String how, long pauseMs) {
            if (ended) {
                return;
            }
            ended = true;
            if (streamId != null) {
                streamed.incrementAndGet();
            }
            String body = text.toString();
            sent.add(
                    new Sent(
                            tag,
                            key,
                            model,
                            kind.name(),
                            status,
                            streamId,
                            body.contains("\"prompt_tokens\""),
                            body.contains("data: [DONE]"),
                            how));
            inFlight.decrementAndGet();
            // After a refused connection (relay down) wait a little rather than spin.
            if (pauseMs > 0) {
                vertx.setTimer(pauseMs, id -> launch());
            } else {
                launch();
            }
        }
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            count++;
        }
        return count;
    }
}
