package io.streammeter.bench.load;

import io.vertx.core.buffer.Buffer;

/**
 * Watches one response body as it arrives, without copying it: counts SSE events (blank-line
 * terminated) and remembers whether the last one was {@code data: [DONE]}. The last eight bytes
 * seen are kept in a long, so an event end is {@code \n\n} in its low bytes and {@code [DONE]} is
 * one comparison. Reused from stream to stream by its worker.
 */
final class StreamProbe {
    private static final long EVENT_END = 0x0A0AL;
    private static final long DONE_TAIL = tail("[DONE]\n\n");

    long startNanos;
    long firstNanos;
    long lastNanos;
    int events;
    long bytes;
    int reads;
    boolean lastWasDone;
    private long tail;

    void begin(long now) {
        startNanos = now;
        firstNanos = 0;
        lastNanos = 0;
        events = 0;
        bytes = 0;
        reads = 0;
        lastWasDone = false;
        tail = 0;
    }

    /** Scans one buffer; returns the gap since the previous buffer in ns, or -1 for the first. */
    long onBuffer(Buffer buffer, long now) {
        long gap = firstNanos == 0 ? -1 : now - lastNanos;
        if (firstNanos == 0) {
            firstNanos = now;
        }
        lastNanos = now;
        int length = buffer.length();
        bytes += length;
        reads++;
        long t = tail;
        for (int i = 0; i < length; i++) {
            t = (t << 8) | (buffer.getByte(i) & 0xFF);
            if ((t & 0xFFFF) == EVENT_END) {
                events++;
                lastWasDone = t == DONE_TAIL;
            }
        }
        tail = t;
        return gap;
    }

    boolean complete(int expectedEvents) {
        return lastWasDone && events == expectedEvents;
    }

    private static long tail(String ascii) {
        long t = 0;
        for (int i = 0; i < ascii.length(); i++) {
            t = (t << 8) | ascii.charAt(i);
        }
        return t;
    }
}
