package io.streammeter.relay.publish;

import io.streammeter.avro.ChunkFact;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamChunks;
import io.streammeter.avro.StreamEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the chunk events of each stream into one {@link StreamChunks} event ({@code
 * spool.chunk-window}, {@code spool.chunk-max}). A group holds consecutive chunks of ONE stream; it
 * is closed when its window has passed, at the max, at {@link #MAX_RAW_CHARS} of captured content,
 * with a chunk that carries usage, and before any other event of its stream (the end above all), so
 * a group never crosses a stream's ending and the stream's events keep their order. A group of one
 * chunk goes out as that chunk's own event. Used by the spool writer thread only: not thread-safe.
 */
final class ChunkGrouper {
    /** Where closed groups and passed-through events go, with how many offered events each is. */
    interface Sink {
        void accept(StreamEvent event, int offered);
    }

    /**
     * Captured content ({@code capture.content}) that closes a group: 64 chunks of large events
     * must not add up to a record the producer or the broker refuses (1 MB by default), which would
     * stop the spool's sender on it.
     */
    static final int MAX_RAW_CHARS = 256 * 1024;

    private final long windowNanos;
    private final int max;
    // Insertion order is opening order: with one window for all, the first group is due first.
    private final Map<String, Group> open = new LinkedHashMap<>();

    ChunkGrouper(long windowNanos, int max) {
        this.windowNanos = windowNanos;
        this.max = max;
    }

    /** Takes one event offered at {@code nowNanos}; what is ready goes to {@code sink}. */
    void accept(StreamEvent event, long nowNanos, Sink sink) {
        String streamId = event.getStreamId();
        if (!(event.getPayload() instanceof StreamChunk chunk)) {
            Group before = open.remove(streamId);
            if (before != null) {
                before.emit(sink);
            }
            sink.accept(event, 1);
            return;
        }
        Group group = open.get(streamId);
        if (group == null) {
            group = new Group(nowNanos);
            open.put(streamId, group);
        }
        group.events.add(event);
        group.rawChars += chunk.getRaw() == null ? 0 : chunk.getRaw().length();
        if (chunk.getCarriesUsage()
                || group.events.size() >= max
                || group.rawChars >= MAX_RAW_CHARS) {
            open.remove(streamId);
            group.emit(sink);
        }
    }

    /** Closes the groups whose window has passed at {@code nowNanos}. */
    void expire(long nowNanos, Sink sink) {
        Iterator<Group> it = open.values().iterator();
        while (it.hasNext()) {
            Group group = it.next();
            if (nowNanos - group.openedAt < windowNanos) {
                return;
            }
            it.remove();
            group.emit(sink);
        }
    }

    /** Closes every group (on shutdown). */
    void closeAll(Sink sink) {
        for (Group group : open.values()) {
            group.emit(sink);
        }
        open.clear();
    }

    boolean hasOpen() {
        return !open.isEmpty();
    }

    /** The one event for these chunk events of one stream, in order. */
    static StreamEvent group(List<StreamEvent> events) {
        StreamEvent first = events.get(0);
        if (events.size() == 1) {
            return first;
        }
        List<ChunkFact> facts = new ArrayList<>(events.size());
        for (StreamEvent e : events) {
            facts.add(
                    new ChunkFact(e.getSequence(), e.getEventTime(), (StreamChunk) e.getPayload()));
        }
        long last = events.get(events.size() - 1).getSequence();
        return StreamEvent.newBuilder()
                .setEventId(groupId(first.getStreamId(), first.getSequence(), last))
                .setStreamId(first.getStreamId())
                .setSequence(first.getSequence())
                .setEventTime(first.getEventTime())
                .setRelayInstanceId(first.getRelayInstanceId())
                .setPayload(new StreamChunks(facts))
                .build();
    }

    /** Event id of a group: stream id, a colon, the first and last sequence joined by a dash. */
    static String groupId(String streamId, long first, long last) {
        return streamId + ':' + first + '-' + last;
    }

    private static final class Group {
        final long openedAt;
        final List<StreamEvent> events = new ArrayList<>(8);
        long rawChars;

        Group(long openedAt) {
            this.openedAt = openedAt;
        }

        void emit(Sink sink) {
            sink.accept(group(events), events.size());
        }
    }
}
