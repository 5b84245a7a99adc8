package io.streammeter.relay.publish;

import io.micrometer.core.instrument.Counter;
import io.streammeter.relay.spool.Spool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that sends the spool to Kafka, oldest first, and moves the spool's acknowledged
 * position as Kafka acknowledges. It never waits on one event: when a send fails (no metadata, an
 * expired batch, a broker gone) it lets the sends in flight complete, then goes back to the oldest
 * unacknowledged event and sends everything from there again, after a growing pause (go-back-N).
 * That keeps each stream's order; the copies it makes are dropped by metering, which keeps the
 * event ids it has seen.
 */
final class SpoolSender {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolSender.class);
    static final int MAX_IN_FLIGHT = 10_000;
    private static final long READ_BYTES = 1024 * 1024;
    private static final long IDLE_PARK_NANOS = 5_000_000L;

    /** Nothing to send: the writer wakes the sender when it appends. */
    private static final long EMPTY_PARK_NANOS = 100_000_000L;

    private static final long MIN_BACKOFF_NANOS = 100_000_000L;
    private static final long MAX_BACKOFF_NANOS = 5_000_000_000L;

    /** An event unacknowledged for this long counts as spooling. */
    static final long STALL_NANOS = 5_000_000_000L;

    private final Spool spool;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Counter replayed;
    private final Thread thread;

    /** Offsets handed to the producer and not completed, with their append time. */
    private final ConcurrentSkipListMap<Long, Long> inFlight = new ConcurrentSkipListMap<>();

    private final Object failureLock = new Object();
    private long failedFrom = Long.MAX_VALUE; // guarded by failureLock
    private long failedMillis;
    private Throwable failure;
    private volatile long next;
    private volatile long lastAckNanos = System.nanoTime();
    private volatile long oldestMillis;
    private volatile boolean spooling;
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private long highestSent;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private long spoolingSinceNanos;
    private long replayedAtEntry;

    SpoolSender(Spool spool, Producer<byte[], byte[]> producer, String topic, Counter replayed) {
        this.spool = spool;
        this.producer = producer;
        this.topic = topic;
        this.replayed = replayed;
        this.next = spool.acknowledged();
        this.highestSent = spool.end() - 1; // what a previous process left counts as replayed
        if (spool.depth() > 0) {
            LOG.info(
                    "Spool {} holds {} events not acknowledged by Kafka: replaying them",
                    spool.dir(),
                    spool.depth());
        }
        this.thread = new Thread(this::run, "streammeter-relay-spool-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Wakes the sender: the spool has new events. */
    void wake() {
        LockSupport.unpark(thread);
    }

    private void run() {
        try {
            while (!done()) {
                step();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Spool sender stopped; events stay in spool {}", spool.dir(), e);
        }
    }

    private boolean done() {
        if (!stopping) {
            return false;
        }
        boolean allAcknowledged =
                inFlight.isEmpty() && failedFrom() == Long.MAX_VALUE && next >= spool.end();
        // Kafka not acknowledging: the events are safe in the spool, waiting gains nothing.
        return allAcknowledged || spooling || System.nanoTime() - stopDeadline > 0;
    }

    private void step() throws IOException {
        long failed = failedFrom();
        if (failed != Long.MAX_VALUE) {
            acknowledge();
            updateState();
            if (!inFlight.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                return;
            }
            rewind(failed);
            return;
        }
        acknowledge();
        updateState();
        int room = MAX_IN_FLIGHT - inFlight.size();
        if (room <= 0) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            return;
        }
        Spool.Batch batch = spool.read(next, Math.min(room, 2048), READ_BYTES);
        if (batch.entries().isEmpty()) {
            next = batch.next();
            LockSupport.parkNanos(this, inFlight.isEmpty() ? EMPTY_PARK_NANOS : IDLE_PARK_NANOS);
            return;
        }
        for (Spool.Entry entry : batch.entries()) {
            send(entry);
            next = entry.offset() + 1;
            if (failedFrom() != Long.MAX_VALUE) {
                return;
            }
        }
        next = batch.next();
    }

    private void send(Spool.Entry entry) {
        long offset = entry.offset();
        if (offset <= highestSent) {
            replayed.increment();
        } else {
            highestSent = offset;
        }
        ByteBuffer payload = ByteBuffer.wrap(entry.payload());
        byte[] key = new byte[payload.getShort()];
        payload.get(key);
        byte[] value = Arrays.copyOfRange(entry.payload(), payload.position(), payload.limit());
        inFlight.put(offset, entry.appendMillis());
        try {
            producer.send(
                    new ProducerRecord<>(topic, key, value),
                    (metadata, error) -> completed(offset, entry.appendMillis(), error));
        } catch (RuntimeException e) {
            completed(offset, entry.appendMillis(), e);
        }
    }

    private void completed(long offset, long appendMillis, Exception error) {
        if (error == null) {
            lastAckNanos = System.nanoTime();
        } else {
            synchronized (failureLock) {
                if (offset < failedFrom) {
                    failedFrom = offset;
                    failedMillis = appendMillis;
                }
                failure = error;
            }
        }
        // Removed after the failure is recorded: whoever misses it in flight sees the failure.
        inFlight.remove(offset);
    }

    private long failedFrom() {
        synchronized (failureLock) {
            return failedFrom;
        }
    }

    private void rewind(long from) {
        long pause = backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        long until = System.nanoTime() + pause;
        while (!stopping && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(this, until - System.nanoTime());
        }
        synchronized (failureLock) {
            failedFrom = Long.MAX_VALUE;
        }
        next = from;
    }

    /** Every offset below the oldest in flight, failed or unsent is acknowledged. */
    private void acknowledge() throws IOException {
        Map.Entry<Long, Long> oldest = inFlight.firstEntry();
        long failed;
        long failedAt;
        synchronized (failureLock) {
            failed = failedFrom;
            failedAt = failedMillis;
        }
        long position = Math.min(oldest == null ? next : oldest.getKey(), Math.min(failed, next));
        spool.acknowledge(position);
        if (failed != Long.MAX_VALUE && failed == position) {
            oldestMillis = failedAt;
        } else if (oldest != null) {
            oldestMillis = oldest.getValue();
        } else if (position >= spool.end()) {
            oldestMillis = 0;
        }
    }

    /** Logs entering and leaving the spooling state, once each, with the reason. */
    private void updateState() {
        long now = System.nanoTime();
        Throwable error;
        synchronized (failureLock) {
            error = failedFrom != Long.MAX_VALUE ? failure : null;
        }
        long oldest = oldestMillis;
        long ageMillis = oldest == 0 ? 0 : System.currentTimeMillis() - oldest;
        boolean stalled = ageMillis > STALL_NANOS / 1_000_000;
        if (!spooling && (error != null || stalled)) {
            spooling = true;
            spoolingSinceNanos = now;
            replayedAtEntry = (long) replayed.count();
            LOG.warn(
                    "Kafka is not acknowledging events ({}): keeping them in spool {} and"
                            + " resending until it does",
                    error != null
                            ? error.getClass().getSimpleName() + ": " + error.getMessage()
                            : "the oldest event waits for " + ageMillis + " ms",
                    spool.dir());
        } else if (spooling && error == null && !stalled && lastAckNanos - spoolingSinceNanos > 0) {
            spooling = false;
            backoffNanos = MIN_BACKOFF_NANOS;
            LOG.info(
                    "Kafka acknowledges events again after {} ms: {} events resent, {} waiting in"
                            + " the spool",
                    (now - spoolingSinceNanos) / 1_000_000,
                    (long) replayed.count() - replayedAtEntry,
                    spool.depth());
        }
    }

    /** Whether Kafka is not acknowledging (failures, or nothing acknowledged for a while). */
    boolean spooling() {
        return spooling;
    }

    /** Append time of the oldest unacknowledged event (epoch millis); 0 when there is none. */
    long oldestMillis() {
        return oldestMillis;
    }

    /** Events handed to the Kafka client and not yet acknowledged. */
    int inFlight() {
        return inFlight.size();
    }

    /**
     * Stops once every spooled event is acknowledged, or at {@code deadlineNanos}
     * (System.nanoTime), whichever comes first; returns when the thread has ended.
     */
    void stop(long deadlineNanos) throws InterruptedException {
        stopDeadline = deadlineNanos;
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000 + 1_000));
    }

    /** After the producer closed: records what it completed, in the spool's checkpoint. */
    void acknowledgeFinal() throws IOException {
        acknowledge();
    }
}
