package io.streammeter.relay.publish;

import io.streammeter.avro.StreamEvent;
import io.streammeter.relay.config.SpoolConfig;
import io.streammeter.relay.spool.Spool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the spool: takes the events {@link #offer}ed from the event loops,
 * serialises them and appends them in batches, forcing the device as {@code spool.fsync} says.
 * Offering is a lock-free enqueue: the event loop makes no system call for it. While events come,
 * the writer wakes by itself every {@link #IDLE_PARK_NANOS}, so an event waits at most that long in
 * memory; after {@link #DOZE_AFTER} empty wake-ups it sleeps until the next event wakes it (one
 * system call per idle period, not per event).
 *
 * <p>When the spool refuses a batch (its hard capacity or a full disk), the batch stays in memory
 * and is retried: what was accepted is never dropped.
 */
final class SpoolWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolWriter.class);
    static final long IDLE_PARK_NANOS = 2_000_000L;
    private static final int DOZE_AFTER = 50;
    private static final long DOZE_PARK_NANOS = 1_000_000_000L;
    private static final long RETRY_PARK_NANOS = 50_000_000L;
    private static final int BATCH = 4096;

    private final Spool spool;
    private final SpoolConfig config;
    private final String topic;
    private final Serializer<StreamEvent> serializer;
    private final Runnable appended;
    private final Queue<StreamEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread thread;
    private final List<byte[]> pending = new ArrayList<>();
    private final ChunkGrouper grouper;
    private final ChunkGrouper.Sink toPending = this::addPending;
    private int pendingEvents;
    private volatile boolean stopping;
    private volatile boolean refusing;
    private volatile boolean full;
    private volatile boolean dozing;
    private int emptyWakeUps;
    private long forcedAt = System.nanoTime();
    private boolean unforced;

    SpoolWriter(
            Spool spool,
            SpoolConfig config,
            String topic,
            Serializer<StreamEvent> serializer,
            Runnable appended) {
        this.spool = spool;
        this.config = config;
        this.topic = topic;
        this.serializer = serializer;
        this.appended = appended;
        this.grouper =
                config.groupsChunks()
                        ? new ChunkGrouper(config.chunkWindow().toNanos(), config.chunkMax())
                        : null;
        this.thread = new Thread(this::run, "streammeter-relay-spool-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an event for the spool; never blocks, never makes a system call. */
    void offer(StreamEvent event) {
        queued.incrementAndGet();
        queue.add(event);
        if (dozing) {
            dozing = false;
            LockSupport.unpark(thread);
        }
    }

    /** Events accepted and not yet in the spool. */
    int queued() {
        return queued.get();
    }

    /** Whether the spool is at {@code spool.max-bytes} (checked by the writer every few ms). */
    boolean full() {
        return full;
    }

    /** Whether the spool refused the last batch (capacity or disk): events wait in memory. */
    boolean refusing() {
        return refusing;
    }

    private void run() {
        while (true) {
            boolean wasStopping = stopping;
            drain();
            if (wasStopping && grouper != null) {
                grouper.closeAll(toPending);
            }
            checkFull();
            if (!pending.isEmpty()) {
                emptyWakeUps = 0;
                write();
            } else if (wasStopping) {
                break;
            } else {
                forceIfDue();
                park();
            }
        }
        force();
    }

    private void park() {
        if (++emptyWakeUps < DOZE_AFTER || unforced || (grouper != null && grouper.hasOpen())) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            return;
        }
        dozing = true;
        if (queue.isEmpty() && !stopping) { // an offer before the flag was set is seen here
            LockSupport.parkNanos(this, DOZE_PARK_NANOS);
        }
        dozing = false;
        emptyWakeUps = 0;
    }

    private void checkFull() {
        boolean now = spool.bytes() >= config.maxBytes();
        if (now != full) {
            full = now;
            if (now) {
                LOG.warn(
                        "Spool {} is full ({} bytes): policy {} applies until Kafka acknowledges",
                        spool.dir(),
                        config.maxBytes(),
                        config.fullPolicy());
            } else {
                LOG.info("Spool {} has room again", spool.dir());
            }
        }
    }

    private void drain() {
        StreamEvent event;
        if (grouper == null) {
            while (pending.size() < BATCH && (event = queue.poll()) != null) {
                addPending(event, 1);
            }
            return;
        }
        long now = System.nanoTime();
        while (pending.size() < BATCH && (event = queue.poll()) != null) {
            grouper.accept(event, now, toPending);
        }
        grouper.expire(now, toPending);
    }

    private void addPending(StreamEvent event, int offered) {
        pending.add(encode(topic, event, serializer));
        pendingEvents += offered;
    }

    private void write() {
        try {
            spool.append(System.currentTimeMillis(), pending);
            queued.addAndGet(-pendingEvents);
            pending.clear();
            pendingEvents = 0;
            unforced = true;
            if (refusing) {
                refusing = false;
                LOG.info("Spool {} takes events again", spool.dir());
            }
            if (config.fsync() == SpoolConfig.Fsync.ALWAYS) {
                force();
            } else {
                forceIfDue();
            }
            appended.run();
        } catch (IOException e) {
            if (!refusing) {
                refusing = true;
                LOG.error(
                        "Spool {} refuses events ({}): {} accepted events wait in memory and are"
                                + " retried",
                        spool.dir(),
                        e.getMessage(),
                        queued.get());
            }
            if (!stopping) {
                LockSupport.parkNanos(this, RETRY_PARK_NANOS);
            } else {
                LOG.error("{} events could not be spooled before shutdown", queued.get());
                queue.clear();
                pending.clear();
                pendingEvents = 0;
            }
        }
    }

    private void forceIfDue() {
        if (config.fsync() == SpoolConfig.Fsync.NEVER) {
            unforced = false;
        } else if (unforced
                && config.fsync() == SpoolConfig.Fsync.INTERVAL
                && System.nanoTime() - forcedAt >= config.fsyncInterval().toNanos()) {
            force();
        }
    }

    private void force() {
        if (!unforced) {
            return;
        }
        if (config.fsync() == SpoolConfig.Fsync.NEVER) {
            unforced = false; // left to the OS
            return;
        }
        try {
            spool.force();
            unforced = false;
        } catch (IOException e) {
            LOG.warn("Cannot force spool {} to the device: {}", spool.dir(), e.getMessage());
        }
        forcedAt = System.nanoTime();
    }

    /** Writes what is queued, forces it and ends the thread, within {@code millis}. */
    boolean stop(long millis) throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** A spool record: {@code short keyLength | key (UTF-8) | value (the topic's serializer)}. */
    static byte[] encode(String topic, StreamEvent event, Serializer<StreamEvent> serializer) {
        byte[] key = event.getStreamId().getBytes(StandardCharsets.UTF_8);
        byte[] value = serializer.serialize(topic, event);
        return ByteBuffer.allocate(2 + key.length + value.length)
                .putShort((short) key.length)
                .put(key)
                .put(value)
                .array();
    }
}
