package io.streammeter.schemas;

/** The event id of the contract: stream id, a colon, the sequence number. */
public final class EventIds {
    private EventIds() {}

    public static String of(String streamId, long sequence) {
        return streamId + ':' + sequence;
    }
}
