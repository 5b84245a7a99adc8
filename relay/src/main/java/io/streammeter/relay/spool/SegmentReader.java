package io.streammeter.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file from a position, through a buffer, so that reading many
 * small records costs one system call per buffer and not one per record. Record layout (big
 * endian): {@code int length | int crc32c | long appendMillis | payload[length]}, the checksum over
 * {@code appendMillis} and the payload.
 */
final class SegmentReader {
    static final int HEADER = 16;

    /** Larger lengths are a damaged header, not a record. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    /** What {@link #next} found. */
    enum Found {
        /** A whole record with a valid checksum: {@link #millis()} and {@link #payload()}. */
        RECORD,
        /** A whole record whose checksum does not match: skip it. */
        CORRUPT,
        /** An incomplete record or a header that cannot be one: nothing after it is readable. */
        TORN,
        /** The end of the segment, on a record boundary. */
        END
    }

    private final FileChannel channel;
    private final long limit;
    private ByteBuffer buffer;
    private long bufferStart;
    private long position;
    private long recordStart;
    private long millis;
    private byte[] payload;

    /** Reads through {@code buffer} (a heap buffer, reused: one reader at a time). */
    SegmentReader(FileChannel channel, long position, long limit, ByteBuffer buffer) {
        this.channel = channel;
        this.position = position;
        this.limit = limit;
        this.buffer = buffer.clear().limit(0);
        this.bufferStart = position;
    }

    Found next() throws IOException {
        recordStart = position;
        if (position >= limit) {
            return Found.END;
        }
        if (!ensure(HEADER)) {
            return Found.TORN;
        }
        int at = (int) (position - bufferStart);
        int length = buffer.getInt(at);
        int crc = buffer.getInt(at + 4);
        if (length < 0 || length > MAX_PAYLOAD || !ensure(HEADER + length)) {
            return Found.TORN;
        }
        at = (int) (position - bufferStart);
        CRC32C checksum = new CRC32C();
        checksum.update(buffer.array(), at + 8, 8 + length);
        position += HEADER + length;
        if ((int) checksum.getValue() != crc) {
            return Found.CORRUPT;
        }
        millis = buffer.getLong(at + 8);
        payload = new byte[length];
        System.arraycopy(buffer.array(), at + HEADER, payload, 0, length);
        return Found.RECORD;
    }

    /** Where the record {@link #next} last looked at begins. */
    long recordStart() {
        return recordStart;
    }

    /** Where the next record begins. */
    long position() {
        return position;
    }

    long millis() {
        return millis;
    }

    byte[] payload() {
        return payload;
    }

    /** Whether {@code bytes} from {@link #position} are in the buffer, reading them if needed. */
    private boolean ensure(int bytes) throws IOException {
        if (position + bytes > limit) {
            return false;
        }
        if (position + bytes <= bufferStart + buffer.limit()) {
            return true;
        }
        if (bytes > buffer.capacity()) {
            buffer = ByteBuffer.allocate(bytes);
        }
        buffer.clear();
        bufferStart = position;
        long want = Math.min(buffer.capacity(), limit - position);
        buffer.limit((int) want);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        return position + bytes <= bufferStart + buffer.limit();
    }

    /** Writes one record at the position of {@code out}, a heap buffer. */
    static void write(ByteBuffer out, long millis, byte[] payload) {
        int start = out.position();
        out.putInt(payload.length).putInt(0).putLong(millis).put(payload);
        CRC32C checksum = new CRC32C();
        checksum.update(out.array(), out.arrayOffset() + start + 8, 8 + payload.length);
        out.putInt(start + 4, (int) checksum.getValue());
    }
}
