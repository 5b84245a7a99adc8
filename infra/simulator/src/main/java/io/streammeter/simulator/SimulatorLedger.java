package io.streammeter.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator answered, one {@link Entry} per settled request: the truth the fault suite
 * compares metering's line items with. Off unless {@link SimulatorConfig#ledger()} asks for it.
 * Served by {@code GET /_sim/ledger}.
 *
 * <p>Entries hold the caller's bearer token, because the suite must map each request to the key id
 * metering bills it under and only it knows the pepper. The ledger is an in-memory test fixture:
 * nothing here is ever logged, and the simulator is a loopback test upstream, never a production
 * endpoint. Bounded at {@link #CAPACITY} entries; later ones are counted in {@code dropped}.
 */
public final class SimulatorLedger {

    /** Entries kept at most; a fault-suite run sends a few thousand. */
    public static final int CAPACITY = 1_000_000;

    /** The request header whose value is copied into {@link Entry#tag()}: the caller's label. */
    public static final String TAG_HEADER = "X-Sim-Tag";

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    /**
     * One answer, settled.
     *
     * @param tag the request's {@code X-Sim-Tag} header, or null
     * @param bearer the token of the request's {@code Authorization: Bearer} (or {@code x-api-key})
     *     header, or null
     * @param api the route
     * @param model the requested model
     * @param stream whether the answer was streamed
     * @param usageSent whether a usage object was written to the wire
     * @param usage the last usage object written, or null
     * @param outcome how the answer ended
     */
    public record Entry(
            String tag,
            String bearer,
            Api api,
            String model,
            boolean stream,
            boolean usageSent,
            SimUsage usage,
            Outcome outcome) {

        JsonObject toJson() {
            JsonObject json =
                    new JsonObject()
                            .put("tag", tag)
                            .put("bearer", bearer)
                            .put("api", api.name())
                            .put("model", model)
                            .put("stream", stream)
                            .put("usage_sent", usageSent)
                            .put("completed", outcome == Outcome.COMPLETED)
                            .put("outcome", outcome.name());
            if (usage != null) {
                json.put("prompt_tokens", usage.promptTokens())
                        .put("completion_tokens", usage.completionTokens())
                        .put("cached_tokens", usage.cachedTokens())
                        .put("reasoning_tokens", usage.reasoningTokens());
            }
            return json;
        }
    }

    /** How an answer ended, as the ledger sees it. */
    public enum Outcome {
        /** Written to its normal end ({@code [DONE]}, {@code message_stop}, or a full body). */
        COMPLETED,
        /** Ended by the script: an error event, a truncation, a stall, or an error status. */
        INTERRUPTED,
        /** The client went away first. */
        ABANDONED
    }

    void record(Entry entry) {
        if (size.incrementAndGet() > CAPACITY) {
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        entries.add(entry);
    }

    /** The entries so far, in the order they settled. */
    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** Entries not kept because the ledger was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** {@code {"entries":[…],"dropped":N}}, as {@code GET /_sim/ledger} returns it. */
    public JsonObject toJson() {
        JsonArray array = new JsonArray();
        for (Entry entry : entries) {
            array.add(entry.toJson());
        }
        return new JsonObject().put("entries", array).put("dropped", dropped());
    }

    /** The bearer token of a request's headers; null when it carries none. */
    static String bearer(String authorization, String apiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return apiKey;
    }
}
