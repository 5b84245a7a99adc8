package io.streammeter.relay.publish;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs publish failures with their stream id, at most a few lines per second: when Kafka is down
 * every event fails, and one line per chunk would bury everything else. The metric counts them all.
 */
final class FailureLog {
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final int PER_INTERVAL = 5;

    private final Logger log;
    private final AtomicLong window = new AtomicLong();
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    FailureLog(Logger log) {
        this.log = log;
    }

    void log(String streamId, String what, Throwable error) {
        long now = System.nanoTime();
        long start = window.get();
        if (now - start > INTERVAL_NANOS && window.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > PER_INTERVAL) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        String cause =
                error == null
                        ? ""
                        : ": " + error.getClass().getSimpleName() + " " + error.getMessage();
        log.warn(
                "Event of stream {} not published, {}{}{}",
                streamId,
                what,
                cause,
                skipped > 0 ? " (" + skipped + " more failures not logged)" : "");
    }
}
