package io.streammeter.metering.domain;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.Outcome;
import io.streammeter.metering.prices.LineItems;
import io.streammeter.prices.PriceFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpendAmountsTest {

    @ParameterizedTest
    @CsvSource({
        "COMPLETED, 0, 0",
        "CLIENT_DISCONNECTED, 0, 0",
        "UPSTREAM_TRUNCATED, 0, 0",
        "REJECTED, 1, 0",
        "UPSTREAM_ERROR, 0, 1",
        "UPSTREAM_TIMEOUT, 0, 1"
    })
    void shouldCountRejectedAndFailedRequestsApartFromBilledOnes(
            Outcome outcome, long rejected, long failed) {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(
                                ended(
                                        "s1",
                                        1,
                                        T0.plusSeconds(1),
                                        usage(3, 4),
                                        e -> e.setOutcome(outcome)),
                                2);

        SpendAmounts amounts = SpendAmounts.of(LineItems.of(fold, PriceFile.bundled(), 0));

        assertEquals(1, amounts.requests());
        assertEquals(rejected, amounts.rejectedRequests());
        assertEquals(failed, amounts.failedRequests());
        assertEquals(-rejected, amounts.negated().rejectedRequests(), "a retraction takes it back");
        assertEquals(-failed, amounts.negated().failedRequests());
    }
}
