package io.streammeter.relay.metrics;

import java.util.Locale;

/**
 * Ways an upstream fails, kept apart so that operators can tell an unreachable upstream from its
 * own error statuses; the metric tag is the lower-case name. A 4xx is the caller's problem:
 * counted, never degrading the upstream.
 */
public enum UpstreamFailure {
    UNREACHABLE(true),
    TIMEOUT(true),
    TRUNCATED(true),
    STATUS_5XX(true),
    STATUS_4XX(false);

    private final boolean degrades;
    private final String tag = name().toLowerCase(Locale.ROOT);

    UpstreamFailure(boolean degrades) {
        this.degrades = degrades;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }

    /** Whether it says something is wrong with the upstream itself. */
    public boolean degrades() {
        return degrades;
    }

    /** The kind of an upstream's error status (400 and above). */
    public static UpstreamFailure ofStatus(int status) {
        return status >= 500 ? STATUS_5XX : STATUS_4XX;
    }
}
