package io.streammeter.relay.upstream;

import io.streammeter.relay.metrics.UpstreamFailure;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay has seen of one upstream lately, for operators: failures by kind, logged as one
 * WARN per kind per minute with the count, and a health state for readiness. An upstream is
 * degraded while its latest answer was a failure of its own (unreachable, timeout, truncated, 5xx)
 * less than {@link #DEGRADED_FOR_NANOS} ago; one success clears it. A 4xx is the caller's problem,
 * counted but never degrading. Shared by every event loop; failures are rare, so a lock is cheap.
 */
public final class UpstreamHealth {
    /** How long one failure keeps the upstream degraded without a success after it. */
    static final long DEGRADED_FOR_NANOS = 60_000_000_000L;

    /** How often each kind of failure may be logged. */
    static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHealth.class);

    /** The upstream's state as readiness reports it; {@code reason} is null when healthy. */
    public record State(boolean degraded, String reason) {}

    private final String name;
    private final LongSupplier nanos;
    private final Map<UpstreamFailure, Window> windows = new EnumMap<>(UpstreamFailure.class);
    private volatile long lastSuccess = Long.MIN_VALUE;
    private long lastFailure = Long.MIN_VALUE;
    private String lastFailureText;

    public UpstreamHealth(String name) {
        this(name, System::nanoTime);
    }

    UpstreamHealth(String name, LongSupplier nanos) {
        this.name = name;
        this.nanos = nanos;
        for (UpstreamFailure failure : UpstreamFailure.values()) {
            windows.put(failure, new Window());
        }
    }

    /** The upstream answered with a success status. Called per request: one volatile write. */
    public void succeeded() {
        lastSuccess = nanos.getAsLong();
    }

    /**
     * Counts a failure; logs it when its kind has not been logged for a minute, with how many of
     * that kind went unlogged since. {@code detail} must hold no secret (exception class, status).
     */
    public void failed(UpstreamFailure failure, String detail) {
        long now = nanos.getAsLong();
        long sinceLogged;
        synchronized (this) {
            if (failure.degrades()) {
                lastFailure = now;
                lastFailureText = failure.tag() + " (" + detail + ")";
            }
            Window window = windows.get(failure);
            window.count++;
            if (window.loggedAt != Long.MIN_VALUE && now - window.loggedAt < LOG_EVERY_NANOS) {
                return;
            }
            sinceLogged = window.count;
            window.count = 0;
            window.loggedAt = now;
        }
        LOG.warn(
                "Upstream {}: {} x{} in the last minute, latest: {}",
                name,
                failure.tag(),
                sinceLogged,
                detail);
    }

    /** Degraded while the latest news of the upstream is a recent failure of its own. */
    public synchronized State state() {
        long now = nanos.getAsLong();
        boolean degraded =
                lastFailure != Long.MIN_VALUE
                        && (lastSuccess == Long.MIN_VALUE || lastFailure - lastSuccess > 0)
                        && now - lastFailure < DEGRADED_FOR_NANOS;
        return degraded
                ? new State(
                        true, lastFailureText + " " + (now - lastFailure) / 1_000_000 + " ms ago")
                : new State(false, null);
    }

    public String name() {
        return name;
    }

    private static final class Window {
        long count;
        long loggedAt = Long.MIN_VALUE;
    }
}
