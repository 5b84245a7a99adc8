package io.streammeter.schemas;

import io.streammeter.avro.ChunkFact;
import io.streammeter.avro.StreamChunks;
import io.streammeter.avro.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamChunks} event (StreamEvent v5) read as the chunk events it groups: each with its
 * own sequence number, event time and event id ({@link EventIds#of}), exactly as if the relay had
 * published it on its own. Any other event is itself.
 */
public final class ChunkGroups {
    static {
        AvroTrust.install();
    }

    private ChunkGroups() {}

    /** The events {@code event} stands for, in sequence order. */
    public static List<StreamEvent> expand(StreamEvent event) {
        if (!(event.getPayload() instanceof StreamChunks group)) {
            return List.of(event);
        }
        List<ChunkFact> facts = group.getChunks();
        List<StreamEvent> events = new ArrayList<>(facts.size());
        for (ChunkFact fact : facts) {
            events.add(
                    new StreamEvent(
                            EventIds.of(event.getStreamId(), fact.getSequence()),
                            event.getStreamId(),
                            fact.getSequence(),
                            fact.getEventTime(),
                            event.getRelayInstanceId(),
                            fact.getChunk()));
        }
        return events;
    }
}
