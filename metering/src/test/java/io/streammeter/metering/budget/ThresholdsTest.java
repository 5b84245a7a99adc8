package io.streammeter.metering.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    @Test
    void shouldReportEachThresholdWhenSpendFirstReachesIt() {
        assertEquals(List.of(), Thresholds.crossed(0, 499, 1000));
        assertEquals(List.of(50), Thresholds.crossed(499, 500, 1000));
        assertEquals(List.of(80, 100), Thresholds.crossed(700, 1200, 1000));
        assertEquals(List.of(50, 80, 100), Thresholds.crossed(0, 1000, 1000));
        assertEquals(List.of(), Thresholds.crossed(1000, 1500, 1000), "already past all");
        assertEquals(List.of(), Thresholds.crossed(0, 10, 0), "no budget, no alert");
    }
}
