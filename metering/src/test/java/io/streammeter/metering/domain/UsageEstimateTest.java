package io.streammeter.metering.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UsageEstimateTest {

    @Test
    void shouldRoundEachPartUp() {
        assertEquals(new UsageEstimate(1, 1), UsageEstimate.of(1, 1, 0, 0));
        assertEquals(new UsageEstimate(25, 2 + 4 + 1), UsageEstimate.of(100, 8, 10, 1));
    }

    @Test
    void shouldEstimateNothingFromNoText() {
        assertEquals(UsageEstimate.NONE, UsageEstimate.of(0, 0, 0, 0));
        assertEquals(0, UsageEstimate.of(-5, 0, 0, 0).total());
    }
}
