package io.streammeter.metering.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MissingUsageReasonTest {

    @Test
    void shouldNameTheReasonByOutcomeWhenTheUpstreamAccepted() {
        assertEquals(
                Optional.of(MissingUsageReason.CLIENT_DISCONNECTED),
                MissingUsageReason.classify(Outcome.CLIENT_DISCONNECTED, 200, false));
        assertEquals(
                Optional.of(MissingUsageReason.UPSTREAM_ERROR),
                MissingUsageReason.classify(Outcome.UPSTREAM_ERROR, 200, false));
        assertEquals(
                Optional.of(MissingUsageReason.RELAY_SHUTDOWN),
                MissingUsageReason.classify(Outcome.RELAY_SHUTDOWN, 204, false));
        assertEquals(
                Optional.of(MissingUsageReason.NO_USAGE_REPORTED),
                MissingUsageReason.classify(Outcome.COMPLETED, 200, false));
        assertEquals("no_usage_reported", MissingUsageReason.NO_USAGE_REPORTED.code());
    }

    @Test
    void shouldNotFlagRejectedNon2xxOrReportedStreams() {
        assertEquals(Optional.empty(), MissingUsageReason.classify(Outcome.REJECTED, null, false));
        assertEquals(
                Optional.empty(), MissingUsageReason.classify(Outcome.UPSTREAM_ERROR, 429, false));
        assertEquals(
                Optional.empty(),
                MissingUsageReason.classify(Outcome.CLIENT_DISCONNECTED, null, false));
        assertEquals(Optional.empty(), MissingUsageReason.classify(Outcome.COMPLETED, 200, true));
    }

    @Test
    void shouldFlagOrphansWithoutUsageAndCountThemTowardsTheShare() {
        assertEquals(
                Optional.of(MissingUsageReason.ORPHANED),
                MissingUsageReason.classify(Outcome.ORPHANED, null, false));
        assertTrue(MissingUsageReason.countsTowardsShare(Outcome.ORPHANED, null));
        assertFalse(MissingUsageReason.countsTowardsShare(Outcome.REJECTED, 200));
        assertFalse(MissingUsageReason.countsTowardsShare(Outcome.UPSTREAM_ERROR, 500));
    }
}
