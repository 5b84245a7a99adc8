package io.streammeter.metering;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.ChunkFact;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamChunks;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.avro.Usage;
import io.streammeter.schemas.EventIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Stream events in the domain's words: {@code started("s1", T0)}, {@code ended(...)}. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    public static final String KEY = "k_test";
    public static final String MODEL = "gpt-4o-mini";
    public static final String UPSTREAM = "simulator";

    private Fixtures() {}

    public static Usage usage(long prompt, long completion) {
        return usage(prompt, completion, null);
    }

    public static Usage usage(long prompt, long completion, Long cached) {
        return Usage.newBuilder()
                .setPromptTokens(prompt)
                .setCompletionTokens(completion)
                .setTotalTokens(prompt + completion)
                .setCachedPromptTokens(cached)
                .build();
    }

    public static StreamEvent started(String streamId, Instant at) {
        return started(streamId, at, KEY, MODEL);
    }

    public static StreamEvent started(String streamId, Instant at, String keyId, String model) {
        return started(streamId, at, keyId, model, ApiShape.OPENAI_CHAT_COMPLETIONS);
    }

    /** Usage as the relay maps an Anthropic report: prompt = input + cache read + cache write. */
    public static Usage anthropicUsage(long input, long output, long cacheRead, long cacheWrite) {
        long prompt = input + cacheRead + cacheWrite;
        return Usage.newBuilder()
                .setPromptTokens(prompt)
                .setCompletionTokens(output)
                .setTotalTokens(prompt + output)
                .setCachedPromptTokens(cacheRead)
                .setCacheCreationPromptTokens(cacheWrite)
                .build();
    }

    public static StreamEvent started(
            String streamId, Instant at, String keyId, String model, ApiShape shape) {
        return event(
                streamId,
                0,
                at,
                StreamStarted.newBuilder()
                        .setKeyId(keyId)
                        .setApiShape(shape)
                        .setModelRequested(model)
                        .setTags(Map.of("team", "search"))
                        .setStreaming(true)
                        .setClientRequestedUsage(false)
                        .setPromptChars(400)
                        .setUpstream(UPSTREAM)
                        .build());
    }

    public static StreamEvent chunk(String streamId, long seq, Instant at) {
        return chunk(streamId, seq, at, null);
    }

    public static StreamEvent chunk(String streamId, long seq, Instant at, Usage usage) {
        return event(
                streamId,
                seq,
                at,
                StreamChunk.newBuilder()
                        .setChunkIndex((int) seq - 1)
                        .setByteLength(100)
                        .setContentChars(40)
                        .setToolArgumentChars(0)
                        .setCarriesUsage(usage != null)
                        .setUsage(usage)
                        .build());
    }

    /** The {@code StreamChunks} record the relay would publish for these chunks of one stream. */
    public static StreamEvent grouped(StreamEvent... chunks) {
        List<ChunkFact> facts = new ArrayList<>();
        for (StreamEvent c : chunks) {
            facts.add(
                    new ChunkFact(c.getSequence(), c.getEventTime(), (StreamChunk) c.getPayload()));
        }
        StreamEvent first = chunks[0];
        long last = chunks[chunks.length - 1].getSequence();
        return StreamEvent.newBuilder(first)
                .setEventId(first.getStreamId() + ":" + first.getSequence() + "-" + last)
                .setPayload(new StreamChunks(facts))
                .build();
    }

    /** A completed end right after the start (sequence 1, no chunks), status 200. */
    public static StreamEvent ended(String streamId, Instant at, Usage usage) {
        return ended(streamId, 1, at, usage);
    }

    public static StreamEvent ended(String streamId, long seq, Instant at, Usage usage) {
        return ended(streamId, seq, at, usage, end -> {});
    }

    /** An end with any field changed, such as {@code e -> e.setOutcome(CLIENT_DISCONNECTED)}. */
    public static StreamEvent ended(
            String streamId,
            long seq,
            Instant at,
            Usage usage,
            Consumer<StreamEnded.Builder> tweak) {
        StreamEnded.Builder end =
                StreamEnded.newBuilder()
                        .setOutcome(Outcome.COMPLETED)
                        .setUsage(usage)
                        .setFinishReason("stop")
                        .setChunkCount((int) Math.max(0, seq - 1))
                        .setContentChars(40 * Math.max(0, seq - 1))
                        .setDurationMillis(1500)
                        .setUpstreamStatus(200);
        tweak.accept(end);
        return event(streamId, seq, at, end.build());
    }

    static StreamEvent event(String streamId, long seq, Instant at, Object payload) {
        return StreamEvent.newBuilder()
                .setEventId(EventIds.of(streamId, seq))
                .setStreamId(streamId)
                .setSequence(seq)
                .setEventTime(at)
                .setRelayInstanceId("relay-test")
                .setPayload(payload)
                .build();
    }
}
