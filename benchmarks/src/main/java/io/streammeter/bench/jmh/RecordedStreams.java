package io.streammeter.bench.jmh;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * SSE bodies recorded from the simulator (see {@code src/main/resources/sse/}), and the ways the
 * network may cut them into reads.
 */
public final class RecordedStreams {
    /** Reads as they come off a loopback or LAN socket: up to one Ethernet MSS each. */
    static final int MSS = 1460;

    private RecordedStreams() {}

    /** The bytes of {@code sse/<name>.sse}. */
    public static byte[] load(String name) {
        String path = "/sse/" + name + ".sse";
        try (InputStream in = RecordedStreams.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded stream " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stream as the relay would receive it: {@code whole} (one read), {@code mss} (1460-byte
     * reads) or a number (reads of that many bytes, cutting inside line endings and UTF-8
     * characters).
     */
    public static Buffer[] split(byte[] stream, String how) {
        int size =
                switch (how) {
                    case "whole" -> stream.length;
                    case "mss" -> MSS;
                    default -> Integer.parseInt(how);
                };
        List<Buffer> pieces = new ArrayList<>();
        for (int at = 0; at < stream.length; at += size) {
            int end = Math.min(stream.length, at + size);
            pieces.add(Buffer.buffer().appendBytes(stream, at, end - at));
        }
        return pieces.toArray(new Buffer[0]);
    }
}
