package io.streammeter.simulator;

import io.streammeter.simulator.SimulatorStats.StreamOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes one planned stream on its event loop: one timer at a time for delays, and with no delay as
 * fast as the client reads ({@code writeQueueFull} / {@code drainHandler}), events batched into
 * writes of about 16 KiB so thousands of streams stay cheap.
 */
final class Playback<K> {

    private static final int FLUSH_CHARS = 16 * 1024;
    // Writes before yielding the event loop, so one long stream cannot starve the others.
    private static final int WRITES_PER_TURN = 8;

    private final Context context;
    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final StreamPlan<K> plan;
    private final EventRenderer<K> renderer;
    private final Script script;
    private final GzipBody gzip;
    private final SimulatorStats stats;
    private final CompletionHandler.LedgerNote note;

    private int run;
    private int offset;
    private int stepsDone;
    private long timer = -1;
    private boolean stalled;
    private boolean over;
    private SimUsage lastUsage;
    private Future<Void> lastWrite;

    Playback(
            Context context,
            HttpServerResponse response,
            HttpConnection connection,
            StreamPlan<K> plan,
            EventRenderer<K> renderer,
            Script script,
            GzipBody gzip,
            SimulatorStats stats,
            CompletionHandler.LedgerNote note) {
        this.note = note;
        this.context = context;
        this.response = response;
        this.connection = connection;
        this.plan = plan;
        this.renderer = renderer;
        this.script = script;
        this.gzip = gzip;
        this.stats = stats;
    }

    /** Sends the headers now and the first event after {@code first-delay-ms}. */
    void start() {
        stats.streamStarted();
        response.closeHandler(v -> clientGone());
        lastWrite = response.writeHead();
        after(script.firstDelayMs());
    }

    private void after(long delayMs) {
        if (delayMs > 0) {
            timer =
                    context.owner()
                            .setTimer(
                                    delayMs,
                                    id -> {
                                        timer = -1;
                                        pump();
                                    });
        } else {
            context.runOnContext(v -> pump());
        }
    }

    private void pump() {
        if (over) {
            return;
        }
        List<StreamPlan.Run<K>> runs = plan.runs();
        StringBuilder out = new StringBuilder(1024);
        int writes = 0;
        while (run < runs.size()) {
            StreamPlan.Run<K> r = runs.get(run);
            SimUsage usage = renderer.append(out, r.kind(), offset);
            if (usage != null) {
                lastUsage = usage;
            }
            boolean stepDone = r.stepWidth() > 0 && (offset + 1) % r.stepWidth() == 0;
            if (++offset == r.count()) {
                run++;
                offset = 0;
            }
            if (stepDone && ++stepsDone < plan.totalSteps() && script.delayMs() > 0) {
                write(out);
                after(script.delayMs());
                return;
            }
            if (out.length() >= FLUSH_CHARS) {
                write(out);
                out.setLength(0);
                if (response.writeQueueFull()) {
                    response.drainHandler(
                            v -> {
                                response.drainHandler(null);
                                pump();
                            });
                    return;
                }
                if (++writes == WRITES_PER_TURN) {
                    context.runOnContext(v -> pump());
                    return;
                }
            }
        }
        finish(out);
    }

    private void finish(StringBuilder out) {
        boolean scripted = script.interruptAfter() >= 0;
        switch (plan.ending()) {
            case END -> {
                Buffer last = bytes(out);
                if (gzip != null) {
                    last.appendBuffer(gzip.finish());
                }
                // Count first: a client that has read the end must find the stream counted.
                settle(scripted ? StreamOutcome.INTERRUPTED : StreamOutcome.COMPLETED);
                response.end(last);
            }
            case TRUNCATE -> {
                write(out);
                settle(StreamOutcome.INTERRUPTED);
                // Close only once the bytes are on the socket: closing drops unwritten data.
                lastWrite.onComplete(ar -> connection.close());
            }
            case STALL -> {
                write(out);
                stalled = true;
            }
        }
    }

    private void clientGone() {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
        settle(stalled ? StreamOutcome.INTERRUPTED : StreamOutcome.ABANDONED);
    }

    private void settle(StreamOutcome outcome) {
        if (!over) {
            over = true;
            if (gzip != null) {
                gzip.close();
            }
            stats.streamEnded(outcome, lastUsage);
            note.settled(
                    switch (outcome) {
                        case COMPLETED -> SimulatorLedger.Outcome.COMPLETED;
                        case INTERRUPTED -> SimulatorLedger.Outcome.INTERRUPTED;
                        case ABANDONED -> SimulatorLedger.Outcome.ABANDONED;
                    },
                    lastUsage);
        }
    }

    private void write(StringBuilder out) {
        if (out.length() > 0) {
            lastWrite = response.write(bytes(out));
        }
    }

    private Buffer bytes(StringBuilder out) {
        byte[] plain = out.toString().getBytes(StandardCharsets.UTF_8);
        return gzip == null ? Buffer.buffer(plain) : gzip.encode(plain);
    }
}
