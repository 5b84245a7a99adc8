package io.streammeter.relay.metrics;

import io.streammeter.avro.Outcome;
import java.util.Locale;

/**
 * How a stream the relay accepted ended: every value the relay itself writes. The Avro contract's
 * {@code ORPHANED} is metering's and {@code UNKNOWN} is a reader's fallback, so neither is here.
 */
public enum StreamOutcome {
    COMPLETED,
    CLIENT_DISCONNECTED,
    UPSTREAM_ERROR,
    UPSTREAM_TRUNCATED,
    UPSTREAM_TIMEOUT,
    RELAY_SHUTDOWN,
    REJECTED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The value in {@code StreamEnded.outcome}. */
    public Outcome avro() {
        return switch (this) {
            case COMPLETED -> Outcome.COMPLETED;
            case CLIENT_DISCONNECTED -> Outcome.CLIENT_DISCONNECTED;
            case UPSTREAM_ERROR -> Outcome.UPSTREAM_ERROR;
            case UPSTREAM_TRUNCATED -> Outcome.UPSTREAM_TRUNCATED;
            case UPSTREAM_TIMEOUT -> Outcome.UPSTREAM_TIMEOUT;
            case RELAY_SHUTDOWN -> Outcome.RELAY_SHUTDOWN;
            case REJECTED -> Outcome.REJECTED;
        };
    }

    /** The metric tag value: a closed set, lower case. */
    public String tag() {
        return tag;
    }
}
