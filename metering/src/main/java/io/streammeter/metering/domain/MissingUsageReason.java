package io.streammeter.metering.domain;

import io.streammeter.avro.Outcome;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a stream has no usage. A stream is missing usage when the upstream accepted it (a 2xx status)
 * and it ended without a usage object, or when it was orphaned without any usage seen. Rejected
 * requests and non-2xx responses had nothing to bill and are never missing usage.
 */
public enum MissingUsageReason {
    CLIENT_DISCONNECTED,
    UPSTREAM_TRUNCATED,
    UPSTREAM_TIMEOUT,
    UPSTREAM_ERROR,
    RELAY_SHUTDOWN,
    NO_USAGE_REPORTED,
    ORPHANED,
    /**
     * Not a usage reason, never from {@link #classify}: the stream's {@code StreamStarted} never
     * arrived, so its line item has no key id (billed to {@code -}) until a late start corrects it.
     * Alerts carry it (it wins over a usage reason: the stream is unattributed either way).
     */
    START_MISSING;

    /** The wire form: lowercase, as on alerts and as the {@code reason} metric tag. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason usage is missing, or empty when it is not. */
    public static Optional<MissingUsageReason> classify(
            Outcome outcome, Integer upstreamStatus, boolean hasUsage) {
        if (hasUsage) {
            return Optional.empty();
        }
        if (outcome == Outcome.ORPHANED) {
            return Optional.of(ORPHANED);
        }
        if (!accepted(upstreamStatus) || outcome == Outcome.REJECTED) {
            return Optional.empty();
        }
        return Optional.of(
                switch (outcome) {
                    case CLIENT_DISCONNECTED -> CLIENT_DISCONNECTED;
                    case UPSTREAM_TRUNCATED -> UPSTREAM_TRUNCATED;
                    case UPSTREAM_TIMEOUT -> UPSTREAM_TIMEOUT;
                    case UPSTREAM_ERROR -> UPSTREAM_ERROR;
                    case RELAY_SHUTDOWN -> RELAY_SHUTDOWN;
                    case COMPLETED, UNKNOWN, REJECTED, ORPHANED -> NO_USAGE_REPORTED;
                });
    }

    /**
     * Whether a line item counts towards the missing-usage share: the upstream accepted it, or
     * nobody knows because it was orphaned.
     */
    public static boolean countsTowardsShare(Outcome outcome, Integer upstreamStatus) {
        return outcome == Outcome.ORPHANED
                || (outcome != Outcome.REJECTED && accepted(upstreamStatus));
    }

    static boolean accepted(Integer status) {
        return status != null && status >= 200 && status < 300;
    }
}
