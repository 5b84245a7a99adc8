package io.streammeter.relay.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.avro.Usage;
import io.streammeter.schemas.EventIds;
import io.streammeter.simulator.SimUsage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The events of one stream, checked against the contract on construction: one {@code StreamStarted}
 * at sequence 0, chunks 1..n with chunk indexes 0..n-1, one {@code StreamEnded} last, event ids and
 * stream ids consistent, no holes.
 */
public record RecordedStream(StreamStarted started, List<StreamChunk> chunks, StreamEnded ended) {

    public static RecordedStream of(String streamId, List<StreamEvent> events) {
        String all = describe(events);
        assertTrue(events.size() >= 2, "at least a start and an end for " + streamId + ":\n" + all);
        for (int i = 0; i < events.size(); i++) {
            StreamEvent event = events.get(i);
            assertEquals(i, event.getSequence(), "sequence without holes:\n" + all);
            assertEquals(streamId, event.getStreamId(), all);
            assertEquals(EventIds.of(streamId, i), event.getEventId(), all);
        }
        StreamStarted started =
                assertInstanceOf(StreamStarted.class, events.get(0).getPayload(), all);
        StreamEnded ended =
                assertInstanceOf(
                        StreamEnded.class, events.get(events.size() - 1).getPayload(), all);
        List<StreamChunk> chunks =
                events.subList(1, events.size() - 1).stream()
                        .map(
                                e ->
                                        assertInstanceOf(
                                                StreamChunk.class,
                                                e.getPayload(),
                                                "only chunks between:\n" + all))
                        .toList();
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).getChunkIndex(), all);
        }
        assertEquals(chunks.size(), ended.getChunkCount(), "chunkCount counts the chunks:\n" + all);
        return new RecordedStream(started, chunks, ended);
    }

    public Outcome outcome() {
        return ended.getOutcome();
    }

    /** Asserts the ending's usage is exactly what the simulator reported. */
    public void assertUsage(SimUsage expected) {
        Usage usage = ended.getUsage();
        String text = toString();
        assertEquals(expected.promptTokens(), usage.getPromptTokens(), text);
        assertEquals(expected.completionTokens(), usage.getCompletionTokens(), text);
        assertEquals(expected.totalTokens(), usage.getTotalTokens(), text);
    }

    /**
     * Asserts the ending's usage is exactly what the simulator reported for an Anthropic stream,
     * mapped as the relay maps it: prompt = input + cache read + cache write.
     */
    public void assertAnthropicUsage(SimUsage expected) {
        Usage usage = ended.getUsage();
        String text = toString();
        assertNotNull(usage, text);
        long prompt =
                expected.promptTokens() + expected.cachedTokens() + expected.cacheCreationTokens();
        assertEquals(prompt, usage.getPromptTokens(), text);
        assertEquals(expected.completionTokens(), usage.getCompletionTokens(), text);
        assertEquals(
                expected.totalTokens(), usage.getTotalTokens(), "input + both caches + output");
        assertEquals(expected.cachedTokens(), usage.getCachedPromptTokens(), text);
        assertEquals(expected.cacheCreationTokens(), usage.getCacheCreationPromptTokens(), text);
        assertNull(usage.getReasoningTokens(), text);
    }

    @Override
    public String toString() {
        return "started=" + started + "\nchunks=" + chunks.size() + "\nended=" + ended;
    }

    static String describe(List<StreamEvent> events) {
        return events.stream().map(String::valueOf).collect(Collectors.joining("\n"));
    }
}
