package io.streammeter.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The relay's durable spool: where events wait on disk until Kafka acknowledged them. Grouped in
 * one record so that its keys ({@code spool.*}) can move to another configuration mechanism as a
 * block.
 *
 * @param dir directory of the spool's segment files; required (the local launcher puts it under its
 *     data directory). One relay process per directory.
 * @param maxBytes size of the spool (bytes) at which {@code fullPolicy} applies
 * @param segmentBytes size (bytes) at which a segment file is closed and a new one started; fully
 *     acknowledged segments are deleted
 * @param fsync when appended events are forced to the device
 * @param fsyncInterval how often {@link Fsync#INTERVAL} forces the device
 * @param fullPolicy what happens when the spool reaches {@code maxBytes}
 * @param chunkWindow how long the chunks of one stream are gathered into one record ({@code
 *     StreamChunks}); zero publishes one record per chunk
 * @param chunkMax most chunks in one such record
 */
public record SpoolConfig(
        Path dir,
        long maxBytes,
        long segmentBytes,
        Fsync fsync,
        Duration fsyncInterval,
        FullPolicy fullPolicy,
        Duration chunkWindow,
        int chunkMax) {

    public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_BYTES = 16L * 1024 * 1024;
    public static final Fsync DEFAULT_FSYNC = Fsync.INTERVAL;
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(200);
    public static final FullPolicy DEFAULT_FULL_POLICY = FullPolicy.SHED_CHUNKS;
    public static final Duration DEFAULT_CHUNK_WINDOW = Duration.ofMillis(100);
    public static final int DEFAULT_CHUNK_MAX = 64;

    /** When appended events reach the device (they reach the OS page cache at once in any case). */
    public enum Fsync {
        /** After every batch the writer thread appends: survives power loss, costs a sync each. */
        ALWAYS,
        /** At most every {@code spool.fsync-interval}: a power loss loses at most that much. */
        INTERVAL,
        /** Left to the OS: survives a process crash (kill -9), not a power loss. */
        NEVER
    }

    /** What the relay does when the spool is at its size limit. */
    public enum FullPolicy {
        /** Chunk events are not spooled (counted; the stream's end says how many were shed). */
        SHED_CHUNKS,
        /** New requests get 503, so no traffic is served that cannot be billed. */
        REJECT
    }

    public SpoolConfig {
        if (dir == null) {
            throw new IllegalArgumentException(
                    "spool.dir is required: a directory for events Kafka has not acknowledged");
        }
        if (maxBytes < 64 * 1024) {
            throw new IllegalArgumentException("spool.max-bytes must be at least 64KiB");
        }
        if (segmentBytes < 4 * 1024 || segmentBytes > maxBytes) {
            throw new IllegalArgumentException(
                    "spool.segment-bytes must be at least 4KiB and at most spool.max-bytes");
        }
        Objects.requireNonNull(fsync, "spool.fsync");
        if (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new IllegalArgumentException("spool.fsync-interval must be positive");
        }
        Objects.requireNonNull(fullPolicy, "spool.full-policy");
        if (chunkWindow == null || chunkWindow.isNegative()) {
            throw new IllegalArgumentException("spool.chunk-window must not be negative");
        }
        if (chunkMax < 1) {
            throw new IllegalArgumentException("spool.chunk-max must be at least 1");
        }
    }

    /** The given settings, with the chunk grouping defaults. */
    public SpoolConfig(
            Path dir,
            long maxBytes,
            long segmentBytes,
            Fsync fsync,
            Duration fsyncInterval,
            FullPolicy fullPolicy) {
        this(
                dir,
                maxBytes,
                segmentBytes,
                fsync,
                fsyncInterval,
                fullPolicy,
                DEFAULT_CHUNK_WINDOW,
                DEFAULT_CHUNK_MAX);
    }

    /** Whether chunks of a stream are grouped into {@code StreamChunks} records. */
    public boolean groupsChunks() {
        return !chunkWindow.isZero() && chunkMax > 1;
    }

    /** The defaults, with the spool in {@code dir}. */
    public static SpoolConfig in(Path dir) {
        return new SpoolConfig(
                dir,
                DEFAULT_MAX_BYTES,
                DEFAULT_SEGMENT_BYTES,
                DEFAULT_FSYNC,
                DEFAULT_FSYNC_INTERVAL,
                DEFAULT_FULL_POLICY);
    }

    public SpoolConfig withDir(Path value) {
        return new SpoolConfig(
                value,
                maxBytes,
                segmentBytes,
                fsync,
                fsyncInterval,
                fullPolicy,
                chunkWindow,
                chunkMax);
    }

    public SpoolConfig withMaxBytes(long value) {
        return new SpoolConfig(
                dir,
                value,
                Math.min(segmentBytes, value),
                fsync,
                fsyncInterval,
                fullPolicy,
                chunkWindow,
                chunkMax);
    }

    public SpoolConfig withSegmentBytes(long value) {
        return new SpoolConfig(
                dir, maxBytes, value, fsync, fsyncInterval, fullPolicy, chunkWindow, chunkMax);
    }

    public SpoolConfig withFsync(Fsync value) {
        return new SpoolConfig(
                dir,
                maxBytes,
                segmentBytes,
                value,
                fsyncInterval,
                fullPolicy,
                chunkWindow,
                chunkMax);
    }

    public SpoolConfig withFsyncInterval(Duration value) {
        return new SpoolConfig(
                dir, maxBytes, segmentBytes, fsync, value, fullPolicy, chunkWindow, chunkMax);
    }

    public SpoolConfig withFullPolicy(FullPolicy value) {
        return new SpoolConfig(
                dir, maxBytes, segmentBytes, fsync, fsyncInterval, value, chunkWindow, chunkMax);
    }

    public SpoolConfig withChunkWindow(Duration value) {
        return new SpoolConfig(
                dir, maxBytes, segmentBytes, fsync, fsyncInterval, fullPolicy, value, chunkMax);
    }

    public SpoolConfig withChunkMax(int value) {
        return new SpoolConfig(
                dir, maxBytes, segmentBytes, fsync, fsyncInterval, fullPolicy, chunkWindow, value);
    }

    static Fsync fsync(String v) {
        try {
            return Fsync.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be always, interval or never: " + v);
        }
    }

    static FullPolicy fullPolicy(String v) {
        try {
            return FullPolicy.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be shed-chunks or reject: " + v);
        }
    }
}
