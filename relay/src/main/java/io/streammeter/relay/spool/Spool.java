package io.streammeter.relay.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of records on disk: what the relay has accepted and Kafka has not yet
 * acknowledged. Records get consecutive offsets; segment files are named by the offset of their
 * first record; the acknowledged position (every offset below it is done) is checkpointed in {@code
 * acknowledged}, and a segment whose records are all below it is deleted.
 *
 * <p>On open, a torn last record (a crash mid-write) is truncated away; a record whose checksum
 * fails elsewhere keeps its offset and is skipped and counted. Durability: {@link #append} writes
 * to the OS (a process crash loses nothing written); {@link #force} puts it on the device. The
 * checkpoint is never forced: losing it only resends acknowledged records, which metering drops as
 * duplicates.
 *
 * <p>Thread-safe; one writer and one reader are expected. One process per directory (a file lock
 * says so).
 */
public final class Spool implements AutoCloseable {
    private static final String SUFFIX = ".spool";
    private static final String CHECKPOINT = "acknowledged";
    private static final long CHECKPOINT_EVERY_NANOS = 1_000_000_000L;
    private static final int READ_BUFFER = 256 * 1024;

    private final Path dir;
    private final long capacity;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final List<Segment> unforced = new ArrayList<>();
    private final Set<Long> corruptOffsets = new HashSet<>();
    private ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
    // Written under the lock, read without it: gauges and /readyz never wait for a disk read.
    private volatile long end;
    private volatile long acknowledged;
    private volatile long bytes;
    private volatile int corrupt;
    private volatile long tornBytes;
    private long checkpointedAt;
    private long checkpointWrittenNanos;
    private Cursor cursor;

    /** One record read back. */
    public record Entry(long offset, long appendMillis, byte[] payload) {}

    /** Records read from an offset, and the offset to read next. */
    public record Batch(List<Entry> entries, long next) {}

    /** Where the last read ended, so the next one does not scan its segment again. */
    private record Cursor(long offset, long base, long position) {}

    private static final class Segment {
        final long base;
        final Path path;
        final FileChannel channel;
        long size;
        long records;

        Segment(long base, Path path, FileChannel channel, long size) {
            this.base = base;
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    /** Thrown by {@link #append} when the records would take the spool past its capacity. */
    public static final class FullException extends IOException {
        FullException(String message) {
            super(message);
        }
    }

    private Spool(
            Path dir, long capacity, long segmentBytes, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.capacity = capacity;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the spool in {@code dir} (created when missing), recovering what a previous process
     * left there.
     *
     * @param capacity bytes of segment files beyond which {@link #append} refuses records
     * @param segmentBytes size at which a segment is closed and the next one started
     * @throws IOException when the directory cannot be used, or another process holds it
     */
    public static Spool open(Path dir, long capacity, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel =
                FileChannel.open(
                        dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("Spool " + dir + " is in use by another relay");
        }
        Spool spool = new Spool(dir, capacity, segmentBytes, lockChannel, lock);
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
        return spool;
    }

    private void recover() throws IOException {
        List<Long> bases;
        try (Stream<Path> files = Files.list(dir)) {
            bases =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(SUFFIX))
                            .map(n -> Long.parseLong(n.substring(0, n.length() - SUFFIX.length())))
                            .sorted()
                            .toList();
        }
        long checkpoint = readCheckpoint();
        for (int i = 0; i < bases.size(); i++) {
            Segment segment = openSegment(bases.get(i));
            scan(segment, i == bases.size() - 1);
            segments.put(segment.base, segment);
            bytes += segment.size;
        }
        if (segments.isEmpty()) {
            end = Math.max(0, checkpoint);
            Segment first = openSegment(end);
            segments.put(end, first);
        } else {
            Segment last = segments.lastEntry().getValue();
            end = last.base + last.records;
        }
        acknowledged = Math.min(end, Math.max(checkpoint, segments.firstKey()));
        checkpointedAt = checkpoint;
        deleteAcknowledgedSegments();
        writeCheckpoint();
    }

    /** Counts the records of a segment, truncating it at the first torn record. */
    private void scan(Segment segment, boolean last) throws IOException {
        SegmentReader reader = new SegmentReader(segment.channel, 0, segment.size, in);
        long offset = segment.base;
        while (true) {
            SegmentReader.Found found = reader.next();
            if (found == SegmentReader.Found.END) {
                break;
            }
            boolean lastRecord = reader.position() == segment.size;
            if (found == SegmentReader.Found.TORN
                    || (found == SegmentReader.Found.CORRUPT && last && lastRecord)) {
                // A crash mid-write: the record was never complete, so was never acknowledged to
                // anyone as spooled. In an older segment the rest is unreadable and goes too.
                tornBytes += segment.size - reader.recordStart();
                segment.channel.truncate(reader.recordStart());
                segment.size = reader.recordStart();
                break;
            }
            if (found == SegmentReader.Found.CORRUPT) {
                corruptOffsets.add(offset);
                corrupt = corruptOffsets.size();
            }
            offset++;
        }
        segment.records = offset - segment.base;
    }

    private Segment openSegment(long base) throws IOException {
        Path path = dir.resolve(String.format("%020d%s", base, SUFFIX));
        FileChannel channel =
                FileChannel.open(
                        path,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        return new Segment(base, path, channel, channel.size());
    }

    /**
     * Appends records, all with the same append time, in one write.
     *
     * @return the offset of the first
     * @throws FullException when they would take the spool past its capacity; nothing is written
     * @throws IOException when the write fails (a full disk): nothing counts as written
     */
    public synchronized long append(long appendMillis, List<byte[]> payloads) throws IOException {
        long total = 0;
        for (byte[] payload : payloads) {
            total += SegmentReader.HEADER + payload.length;
        }
        if (bytes + total > capacity) {
            throw new FullException(
                    "spool holds " + bytes + " bytes; " + total + " more exceed " + capacity);
        }
        Segment active = segments.lastEntry().getValue();
        if (active.size >= segmentBytes) {
            unforced.add(active);
            active = openSegment(end);
            segments.put(end, active);
        }
        if (out.capacity() < total) {
            out = ByteBuffer.allocate((int) Math.max(total, 2L * out.capacity()));
        }
        out.clear();
        for (byte[] payload : payloads) {
            SegmentReader.write(out, appendMillis, payload);
        }
        out.flip();
        long at = active.size;
        try {
            while (out.hasRemaining()) {
                at += active.channel.write(out, at);
            }
        } catch (IOException e) {
            active.channel.truncate(active.size); // a partial write is not a record
            throw e;
        }
        long first = end;
        active.size += total;
        active.records += payloads.size();
        bytes += total;
        end += payloads.size();
        return first;
    }

    /** Puts everything appended so far on the device. */
    public synchronized void force() throws IOException {
        for (Segment segment : unforced) {
            if (segment.channel.isOpen()) {
                segment.channel.force(false);
            }
        }
        unforced.clear();
        segments.lastEntry().getValue().channel.force(false);
    }

    /**
     * Reads valid records from {@code from} on, skipping (and counting once) those whose checksum
     * fails, up to {@code maxRecords} or about {@code maxBytes} of payload.
     */
    public synchronized Batch read(long from, int maxRecords, long maxBytes) throws IOException {
        long offset = Math.max(from, segments.firstKey());
        List<Entry> entries = new ArrayList<>();
        long payloadBytes = 0;
        while (offset < end && entries.size() < maxRecords && payloadBytes < maxBytes) {
            Map.Entry<Long, Segment> floor = segments.floorEntry(offset);
            Segment segment = floor.getValue();
            long position = positionOf(segment, offset);
            SegmentReader reader = new SegmentReader(segment.channel, position, segment.size, in);
            boolean exhausted = false;
            while (entries.size() < maxRecords && payloadBytes < maxBytes) {
                SegmentReader.Found found = reader.next();
                if (found == SegmentReader.Found.END || found == SegmentReader.Found.TORN) {
                    exhausted = true;
                    break;
                }
                if (found == SegmentReader.Found.RECORD) {
                    entries.add(new Entry(offset, reader.millis(), reader.payload()));
                    payloadBytes += reader.payload().length;
                } else {
                    corruptOffsets.add(offset);
                    corrupt = corruptOffsets.size();
                }
                offset++;
            }
            cursor = new Cursor(offset, segment.base, reader.position());
            if (exhausted || offset == segment.base + segment.records) {
                Long next = segments.higherKey(segment.base);
                if (next == null) {
                    break;
                }
                offset = next;
            }
        }
        return new Batch(entries, offset);
    }

    /** The file position of {@code offset} in {@code segment}, from the cursor or by scanning. */
    private long positionOf(Segment segment, long offset) throws IOException {
        if (cursor != null && cursor.base == segment.base && cursor.offset == offset) {
            return cursor.position;
        }
        SegmentReader reader = new SegmentReader(segment.channel, 0, segment.size, in);
        for (long o = segment.base; o < offset; o++) {
            if (reader.next() == SegmentReader.Found.END) {
                break;
            }
        }
        return reader.position();
    }

    /**
     * Records that every offset below {@code upTo} is done: deletes segments that hold nothing else
     * and checkpoints the position (at most once a second, and whenever a segment goes).
     */
    public synchronized void acknowledge(long upTo) throws IOException {
        if (upTo <= acknowledged) {
            return;
        }
        acknowledged = Math.min(upTo, end);
        boolean deleted = deleteAcknowledgedSegments();
        if (deleted || System.nanoTime() - checkpointWrittenNanos > CHECKPOINT_EVERY_NANOS) {
            writeCheckpoint();
        }
    }

    private boolean deleteAcknowledgedSegments() throws IOException {
        boolean deleted = false;
        while (segments.size() > 1) {
            Segment first = segments.firstEntry().getValue();
            if (first.base + first.records > acknowledged) {
                break;
            }
            segments.remove(first.base);
            unforced.remove(first);
            first.channel.close();
            Files.deleteIfExists(first.path);
            bytes -= first.size;
            long base = first.base;
            corruptOffsets.removeIf(o -> o < base + first.records);
            corrupt = corruptOffsets.size();
            deleted = true;
        }
        // The active segment, once all acknowledged and full enough, starts over in a new file.
        Segment active = segments.lastEntry().getValue();
        if (active.base + active.records == acknowledged
                && active.size >= segmentBytes
                && active.records > 0) {
            Segment next = openSegment(end);
            segments.put(end, next);
            segments.remove(active.base);
            unforced.remove(active);
            active.channel.close();
            Files.deleteIfExists(active.path);
            bytes -= active.size;
            deleted = true;
        }
        if (deleted) {
            cursor = null;
        }
        return deleted;
    }

    private long readCheckpoint() throws IOException {
        Path path = dir.resolve(CHECKPOINT);
        if (!Files.exists(path)) {
            return 0;
        }
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(path));
        if (data.remaining() != 12) {
            return 0;
        }
        long value = data.getLong(0);
        CRC32C crc = new CRC32C();
        crc.update(data.array(), 0, 8);
        return (int) crc.getValue() == data.getInt(8) ? value : 0;
    }

    private void writeCheckpoint() throws IOException {
        if (acknowledged == checkpointedAt && checkpointWrittenNanos != 0) {
            return;
        }
        ByteBuffer data = ByteBuffer.allocate(12).putLong(0, acknowledged);
        CRC32C crc = new CRC32C();
        crc.update(data.array(), 0, 8);
        data.putInt(8, (int) crc.getValue());
        Path tmp = dir.resolve(CHECKPOINT + ".tmp");
        Files.write(tmp, data.array());
        Files.move(
                tmp,
                dir.resolve(CHECKPOINT),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        checkpointedAt = acknowledged;
        checkpointWrittenNanos = System.nanoTime();
    }

    /** The offset the next appended record gets. */
    public long end() {
        return end;
    }

    /** Every offset below this is acknowledged. */
    public long acknowledged() {
        return acknowledged;
    }

    /** Records not yet acknowledged (skipped corrupt ones included). */
    public long depth() {
        return end - acknowledged;
    }

    /** Bytes of segment files on disk. */
    public long bytes() {
        return bytes;
    }

    /** Records skipped because their checksum failed, in segments still on disk. */
    public long corrupt() {
        return corrupt;
    }

    /** Bytes of torn records truncated when the spool was opened. */
    public long tornBytes() {
        return tornBytes;
    }

    public Path dir() {
        return dir;
    }

    /** Checkpoints the acknowledged position, forces what was appended and closes the files. */
    @Override
    public synchronized void close() {
        try {
            if (!segments.isEmpty()) {
                writeCheckpoint();
                force();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close spool " + dir, e);
        } finally {
            for (Segment segment : segments.values()) {
                closeQuietly(segment.channel);
            }
            segments.clear();
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } catch (IOException e) {
                // released with the channel below
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
