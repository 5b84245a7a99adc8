package io.streammeter.relay.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser of a {@code text/event-stream} body, following the WHATWG rules: a leading BOM
 * is skipped; lines end with CRLF, LF or CR; lines starting with a colon are comments; {@code data}
 * lines accumulate (joined with LF); {@code event}, {@code id} and {@code retry} are honoured; a
 * blank line dispatches the event. Input may be cut anywhere, including inside a line ending or a
 * multi-byte UTF-8 character, because the parser works on bytes and only decodes whole fields.
 *
 * <p>The parser never sits between the upstream and the client: the relay forwards each buffer as
 * it arrives and hands the same buffer to {@link #handle}. It keeps at most one line and one
 * event's data, both capped at {@code maxEventBytes}; a longer event is reported as {@link
 * SseEvent#truncated() truncated} rather than buffered without bound.
 */
public final class SseParser implements Handler<Buffer> {

    /** Receives what the parser finds, synchronously, inside {@link #handle} or {@link #feed}. */
    public interface Listener {
        void onEvent(SseEvent event);

        /**
         * Called after every blank line with the offset, in the input being fed, just past that
         * line's ending. The bytes between two such offsets form one block: at most one event.
         */
        default void onBlockEnd(int offset) {}
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] DATA = ascii("data");
    private static final byte[] EVENT = ascii("event");
    private static final byte[] ID = ascii("id");
    private static final byte[] RETRY = ascii("retry");

    private final Listener listener;
    private final int maxEventBytes;
    private final SseEvent event = new SseEvent();

    private byte[] scratch = new byte[1024];
    private byte[] line = new byte[128];
    private int lineLength;
    private boolean lineTooLong;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean dataTruncated;
    private String type;
    private String lastEventId = "";
    private long retryMillis = -1;
    private int bomMatched;
    private boolean skipLf;

    public SseParser(Listener listener, int maxEventBytes) {
        if (maxEventBytes < 16) {
            throw new IllegalArgumentException(
                    "maxEventBytes must be at least 16: " + maxEventBytes);
        }
        this.listener = listener;
        this.maxEventBytes = maxEventBytes;
    }

    /** Parses one buffer; offsets given to the listener are positions in this buffer. */
    @Override
    public void handle(Buffer buffer) {
        int length = buffer.length();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(0, length, scratch, 0);
        feed(scratch, 0, length);
    }

    /** Parses {@code length} bytes of {@code bytes} from {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        int pos = offset;
        int end = offset + length;
        if (bomMatched >= 0) {
            pos = skipBom(bytes, pos, end);
        }
        if (skipLf && pos < end) {
            skipLf = false;
            if (bytes[pos] == LF) {
                pos++;
            }
        }
        while (pos < end) {
            int lineEnd = lineEnd(bytes, pos, end);
            if (lineEnd < 0) {
                appendLine(bytes, pos, end);
                return;
            }
            boolean blank = lineLength == 0 && !lineTooLong && lineEnd == pos;
            if (lineLength > 0 || lineTooLong) {
                appendLine(bytes, pos, lineEnd);
                processLine(line, 0, lineLength, lineTooLong);
                lineLength = 0;
                lineTooLong = false;
            } else if (!blank) {
                processLine(bytes, pos, lineEnd, false);
            }
            pos = lineEnd + 1;
            if (bytes[lineEnd] == CR) {
                if (pos < end) {
                    if (bytes[pos] == LF) {
                        pos++;
                    }
                } else {
                    skipLf = true;
                }
            }
            if (blank) {
                dispatch();
                listener.onBlockEnd(pos - offset);
            }
        }
    }

    /** The reconnection time the stream asked for with {@code retry}, or -1 if it never did. */
    public long retryMillis() {
        return retryMillis;
    }

    /**
     * The data of the event being received, so far: complete {@code data} lines joined with LF,
     * then the part of a {@code data} line still in progress. Written into the returned array's
     * first {@link #pendingDataLength()} bytes; valid until the next call on this parser.
     */
    public byte[] pendingData() {
        int value = pendingLineValueStart();
        if (value < 0) {
            return data;
        }
        int length = lineLength - value;
        ensureData(dataLength + length);
        System.arraycopy(line, value, data, dataLength, length);
        return data;
    }

    /** Length of what {@link #pendingData()} returns. */
    public int pendingDataLength() {
        int value = pendingLineValueStart();
        return value < 0 ? dataLength : dataLength + lineLength - value;
    }

    private int pendingLineValueStart() {
        if (lineTooLong || lineLength < DATA.length + 1 || !startsWith(line, 0, DATA)) {
            return -1;
        }
        if (line[DATA.length] != ':') {
            return -1;
        }
        int value = DATA.length + 1;
        return value < lineLength && line[value] == ' ' ? value + 1 : value;
    }

    private int skipBom(byte[] bytes, int pos, int end) {
        while (pos < end && bomMatched >= 0) {
            if (bytes[pos] == BOM[bomMatched]) {
                pos++;
                if (++bomMatched == BOM.length) {
                    bomMatched = -1;
                }
            } else {
                // Not a BOM after all: the bytes matched so far start the first line.
                appendLine(BOM, 0, bomMatched);
                bomMatched = -1;
            }
        }
        return pos;
    }

    private void processLine(byte[] bytes, int start, int end, boolean cut) {
        if (bytes[start] == ':') {
            return;
        }
        int colon = indexOf(bytes, start, end, (byte) ':');
        int nameEnd = colon < 0 ? end : colon;
        int value = colon < 0 ? end : colon + 1;
        if (value < end && bytes[value] == ' ') {
            value++;
        }
        int nameLength = nameEnd - start;
        if (nameLength == 4 && startsWith(bytes, start, DATA)) {
            appendData(bytes, value, end, cut);
        } else if (cut) {
            return; // a cut event, id or retry value would be wrong; ignore it
        } else if (nameLength == 5 && startsWith(bytes, start, EVENT)) {
            type = new String(bytes, value, end - value, StandardCharsets.UTF_8);
        } else if (nameLength == 2 && startsWith(bytes, start, ID)) {
            if (indexOf(bytes, value, end, (byte) 0) < 0) {
                lastEventId = new String(bytes, value, end - value, StandardCharsets.UTF_8);
            }
        } else if (nameLength == 5 && startsWith(bytes, start, RETRY)) {
            retry(bytes, value, end);
        }
    }

    private void retry(byte[] bytes, int start, int end) {
        if (start == end || end - start > 18) {
            return;
        }
        long millis = 0;
        for (int i = start; i < end; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return;
            }
            millis = millis * 10 + (bytes[i] - '0');
        }
        retryMillis = millis;
    }

    private void appendData(byte[] bytes, int start, int end, boolean cut) {
        int length = end - start;
        if (cut || dataTruncated || dataLength + length + 1 > maxEventBytes) {
            dataTruncated = true;
            if (dataLength >= maxEventBytes - 1) {
                return; // full: not even the joining LF, so endless short lines stay bounded too
            }
            length = Math.min(length, maxEventBytes - dataLength - 1);
        }
        ensureData(dataLength + length + 1);
        System.arraycopy(bytes, start, data, dataLength, length);
        dataLength += length;
        data[dataLength++] = LF;
    }

    private void dispatch() {
        if (dataLength == 0) {
            type = null;
            return;
        }
        int length = data[dataLength - 1] == LF ? dataLength - 1 : dataLength;
        event.set(type, data, length, lastEventId, dataTruncated);
        dataLength = 0;
        dataTruncated = false;
        type = null;
        listener.onEvent(event);
    }

    private void appendLine(byte[] bytes, int start, int end) {
        int length = end - start;
        if (lineTooLong || lineLength + length > maxEventBytes) {
            // Keep the head of the line: enough to know its field, and the start of its value.
            length = Math.max(0, Math.min(length, maxEventBytes - lineLength));
            lineTooLong = true;
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + length, line.length * 2));
        }
        System.arraycopy(bytes, start, line, lineLength, length);
        lineLength += length;
    }

    private void ensureData(int capacity) {
        if (capacity > data.length) {
            data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
        }
    }

    private static int lineEnd(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b == LF || b == CR) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, int start, int end, byte wanted) {
        for (int i = start; i < end; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int start, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
