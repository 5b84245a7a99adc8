package io.streammeter.bench.topology;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.avro.Usage;
import io.streammeter.schemas.EventIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic mix of relay events: many streams open at once and interleaved, 200
 * keys, 5 models, about 30 chunks per stream, and endings that are mostly completions with usage,
 * some client disconnects (usage still drained), some truncations, upstream errors and timeouts (no
 * usage). Every stream that starts also ends, with no hole in its sequence, so metering can close
 * each one without waiting on a timer.
 */
final class EventMix {
    static final String[] MODELS = {
        "gpt-4o-mini-2024-07-18",
        "gpt-4o-2024-08-06",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano-2025-04-14",
        "o3-mini-2025-01-31"
    };
    static final int KEYS = 200;
    private static final int DATE_SUFFIX = "-2024-07-18".length();
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private final SplittableRandom random;
    private final String runId;
    private final List<Open> open = new ArrayList<>();
    private final String[] keyIds = new String[KEYS];
    private final int concurrency;
    private long budget;
    private long pending;
    private long streams;
    private long emitted;

    /**
     * @param budget about how many events to produce (the last streams finish, so a few more)
     * @param concurrency streams open at once
     */
    EventMix(long seed, String runId, long budget, int concurrency) {
        this.random = new SplittableRandom(seed);
        this.runId = runId;
        this.budget = budget;
        this.concurrency = concurrency;
        for (int i = 0; i < KEYS; i++) {
            StringBuilder id = new StringBuilder("k_");
            for (int c = 0; c < 24; c++) {
                id.append(BASE32.charAt(random.nextInt(32)));
            }
            keyIds[i] = id.toString();
        }
    }

    /** An endless mix: streams keep starting for as long as events are asked for. */
    static EventMix endless(long seed, String runId, int concurrency) {
        return new EventMix(seed, runId, Long.MAX_VALUE, concurrency);
    }

    boolean hasNext() {
        refill();
        return !open.isEmpty();
    }

    /** Streams started so far (each of which ends within the mix). */
    long streams() {
        return streams;
    }

    long emitted() {
        return emitted;
    }

    /** The next event, stamped {@code time}; {@link #hasNext} must have said yes. */
    StreamEvent next(Instant time) {
        refill();
        int slot = random.nextInt(open.size());
        Open s = open.get(slot);
        StreamEvent event = s.next(time);
        emitted++;
        pending--;
        if (s.done()) {
            open.set(slot, open.get(open.size() - 1));
            open.remove(open.size() - 1);
        }
        return event;
    }

    /** Whether the event is the end of its stream. */
    static boolean isEnd(StreamEvent event) {
        return event.getPayload() instanceof StreamEnded;
    }

    private void refill() {
        while (open.size() < concurrency) {
            Open s = newStream();
            if (emitted + pending + s.total() > budget) {
                budget = Math.min(budget, emitted + pending); // start nothing more; finish the rest
                return;
            }
            open.add(s);
            pending += s.total();
            streams++;
        }
    }

    private Open newStream() {
        int roll = random.nextInt(1000);
        Outcome outcome;
        if (roll < 900) {
            outcome = Outcome.COMPLETED;
        } else if (roll < 940) {
            outcome = Outcome.CLIENT_DISCONNECTED;
        } else if (roll < 970) {
            outcome = Outcome.UPSTREAM_TRUNCATED;
        } else if (roll < 990) {
            outcome = Outcome.UPSTREAM_ERROR;
        } else {
            outcome = Outcome.UPSTREAM_TIMEOUT;
        }
        int planned = 20 + random.nextInt(21);
        int chunks =
                outcome == Outcome.COMPLETED || outcome == Outcome.CLIENT_DISCONNECTED
                        ? planned
                        : random.nextInt(planned);
        String streamId = "s_" + runId + "_" + Long.toString(streams, 36);
        return new Open(
                streamId,
                keyIds[skewedKey()],
                MODELS[random.nextInt(MODELS.length)],
                outcome,
                chunks,
                200 + random.nextInt(2800));
    }

    /** A few keys carry most of the traffic, as with real customers. */
    private int skewedKey() {
        double u = random.nextDouble();
        return (int) (KEYS * u * u);
    }

    /** One stream being emitted. */
    private final class Open {
        final String streamId;
        final String keyId;
        final String model;
        final Outcome outcome;
        final int chunks;
        final long promptTokens;
        long sequence;
        Instant startedAt;

        Open(
                String streamId,
                String keyId,
                String model,
                Outcome outcome,
                int chunks,
                long promptTokens) {
            this.streamId = streamId;
            this.keyId = keyId;
            this.model = model;
            this.outcome = outcome;
            this.chunks = chunks;
            this.promptTokens = promptTokens;
        }

        int total() {
            return chunks + 2;
        }

        boolean done() {
            return sequence == total();
        }

        StreamEvent next(Instant time) {
            long seq = sequence++;
            Object payload;
            if (seq == 0) {
                startedAt = time;
                payload = started();
            } else if (seq <= chunks) {
                payload = chunk((int) seq - 1);
            } else {
                payload = ended(time);
            }
            return StreamEvent.newBuilder()
                    .setEventId(EventIds.of(streamId, seq))
                    .setStreamId(streamId)
                    .setSequence(seq)
                    .setEventTime(time)
                    .setRelayInstanceId("relay-bench")
                    .setPayload(payload)
                    .build();
        }

        private StreamStarted started() {
            return StreamStarted.newBuilder()
                    .setKeyId(keyId)
                    .setApiShape(ApiShape.OPENAI_CHAT_COMPLETIONS)
                    .setModelRequested(model.substring(0, model.length() - DATE_SUFFIX))
                    .setUser(null)
                    .setTags(Map.of("team", "team-" + (keyId.charAt(2) % 8)))
                    .setStreaming(true)
                    .setClientRequestedUsage(false)
                    .setPromptChars(promptTokens * 4)
                    .setUpstream("openai")
                    .build();
        }

        private boolean billed() {
            return outcome == Outcome.COMPLETED || outcome == Outcome.CLIENT_DISCONNECTED;
        }

        private StreamChunk chunk(int index) {
            boolean last = index == chunks - 1 && billed();
            return StreamChunk.newBuilder()
                    .setChunkIndex(index)
                    .setByteLength(last ? 330 : 270)
                    .setContentChars(last ? 0 : 8)
                    .setToolArgumentChars(0)
                    .setFinishReason(last ? "stop" : null)
                    .setCarriesUsage(last)
                    .setUsage(last ? usage() : null)
                    .build();
        }

        private Usage usage() {
            long completion = 2L * chunks;
            long cached = promptTokens > 1024 ? 1024 : 0;
            return new Usage(
                    promptTokens, completion, promptTokens + completion, cached, 0L, null, false);
        }

        private StreamEnded ended(Instant time) {
            boolean error = outcome == Outcome.UPSTREAM_ERROR;
            return StreamEnded.newBuilder()
                    .setOutcome(outcome)
                    .setUsage(billed() ? usage() : null)
                    .setModelReported(chunks > 0 ? model : null)
                    .setFinishReason(billed() ? "stop" : null)
                    .setChunkCount(chunks)
                    .setContentChars(8L * chunks)
                    .setTimeToFirstChunkMillis(chunks > 0 ? 180L : null)
                    .setDurationMillis(time.toEpochMilli() - startedAt.toEpochMilli())
                    .setUpstreamStatus(200)
                    .setErrorText(error ? "upstream error: server_error" : null)
                    .build();
        }
    }
}
