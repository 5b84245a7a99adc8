package io.streammeter.relay.sse;

import java.nio.charset.StandardCharsets;

/**
 * One dispatched server-sent event. The parser reuses a single instance per stream, so read it
 * inside {@link SseParser.Listener#onEvent} and copy what must outlive the call.
 */
public final class SseEvent {
    static final String DEFAULT_TYPE = "message";

    private String type = DEFAULT_TYPE;
    private byte[] data = new byte[0];
    private int dataLength;
    private String lastEventId = "";
    private boolean truncated;

    void set(String type, byte[] data, int dataLength, String lastEventId, boolean truncated) {
        this.type = type == null ? DEFAULT_TYPE : type;
        this.data = data;
        this.dataLength = dataLength;
        this.lastEventId = lastEventId;
        this.truncated = truncated;
    }

    /** The {@code event} field, or {@code message} when the event had none. */
    public String type() {
        return type;
    }

    /** The backing array of the data; only the first {@link #dataLength()} bytes are the data. */
    public byte[] data() {
        return data;
    }

    /** Bytes of data: the {@code data} lines joined with LF, as UTF-8. */
    public int dataLength() {
        return dataLength;
    }

    /** The data decoded as UTF-8; allocates, so meant for tests and rare paths. */
    public String dataAsString() {
        return new String(data, 0, dataLength, StandardCharsets.UTF_8);
    }

    /** Whether the data is exactly the given ASCII text, without allocating. */
    public boolean dataEquals(byte[] ascii) {
        if (ascii.length != dataLength) {
            return false;
        }
        for (int i = 0; i < dataLength; i++) {
            if (data[i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /** The last event id of the stream when this event was dispatched ("" when none). */
    public String lastEventId() {
        return lastEventId;
    }

    /** An independent copy, for keeping an event beyond the listener call. */
    public SseEvent copy() {
        SseEvent copy = new SseEvent();
        copy.set(
                type,
                java.util.Arrays.copyOf(data, dataLength),
                dataLength,
                lastEventId,
                truncated);
        return copy;
    }

    /** Whether the data went over the parser's event size limit and was cut. */
    public boolean truncated() {
        return truncated;
    }
}
