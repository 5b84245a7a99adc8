package io.streammeter.simulator;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters of what a {@link Simulator} has done since it started; also served as JSON
 * by {@code GET /_sim/stats}.
 *
 * <p>Token sums add, per response, the last usage object actually written (see {@link
 * ExpectedUsage#reported}); a usage written on every chunk is counted once.
 */
public final class SimulatorStats {

    private final LongAdder requests = new LongAdder();
    private final LongAdder streamsStarted = new LongAdder();
    private final LongAdder streamsCompleted = new LongAdder();
    private final LongAdder streamsInterrupted = new LongAdder();
    private final LongAdder streamsAbandoned = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();

    /** Requests received on either API route, including rejected ones. */
    public long requests() {
        return requests.sum();
    }

    /** Streaming responses begun. */
    public long streamsStarted() {
        return streamsStarted.sum();
    }

    /** Streaming responses written to their normal end ({@code [DONE]} or {@code message_stop}). */
    public long streamsCompleted() {
        return streamsCompleted.sum();
    }

    /** Streaming responses ended by the script: error event, truncation, or a stall. */
    public long streamsInterrupted() {
        return streamsInterrupted.sum();
    }

    /** Streaming responses whose client went away before the script's end. */
    public long streamsAbandoned() {
        return streamsAbandoned.sum();
    }

    /** Streams begun and not yet over (stalled streams count until the client leaves). */
    public long openStreams() {
        // Endings first: a stream that starts and ends between the reads then cannot make the
        // figure negative.
        long ended = streamsCompleted.sum() + streamsInterrupted.sum() + streamsAbandoned.sum();
        return streamsStarted.sum() - ended;
    }

    /** Sum of prompt ({@code prompt_tokens} / {@code input_tokens}) tokens sent. */
    public long promptTokens() {
        return promptTokens.sum();
    }

    /** Sum of completion ({@code completion_tokens} / {@code output_tokens}) tokens sent. */
    public long completionTokens() {
        return completionTokens.sum();
    }

    /** The counters as the JSON object {@code GET /_sim/stats} returns. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("requests", requests())
                .put("streams_started", streamsStarted())
                .put("streams_completed", streamsCompleted())
                .put("streams_interrupted", streamsInterrupted())
                .put("streams_abandoned", streamsAbandoned())
                .put("open_streams", openStreams())
                .put("prompt_tokens", promptTokens())
                .put("completion_tokens", completionTokens());
    }

    void request() {
        requests.increment();
    }

    void streamStarted() {
        streamsStarted.increment();
    }

    /** A stream is over: counts how it ended and the usage it carried last (null for none). */
    void streamEnded(StreamOutcome outcome, SimUsage lastUsage) {
        switch (outcome) {
            case COMPLETED -> streamsCompleted.increment();
            case INTERRUPTED -> streamsInterrupted.increment();
            case ABANDONED -> streamsAbandoned.increment();
        }
        usageSent(lastUsage);
    }

    void usageSent(SimUsage usage) {
        if (usage != null) {
            promptTokens.add(usage.promptTokens());
            completionTokens.add(usage.completionTokens());
        }
    }

    /** How a stream ended, as the counters see it. */
    enum StreamOutcome {
        COMPLETED,
        INTERRUPTED,
        ABANDONED
    }
}
