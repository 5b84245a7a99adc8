package io.streammeter.metering.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateWindowTest {

    @Test
    void shouldCrossOnceWhenTheShareFirstExceedsTheThreshold() {
        RateWindow w = RateWindow.EMPTY.count(true, 500, 2);
        assertFalse(w.crossed(), "below the minimum number of streams");

        w = w.count(false, 500, 2);
        assertFalse(w.crossed(), "exactly 50 % does not exceed 50 %");

        w = w.count(true, 500, 2);
        assertTrue(w.crossed());
        assertEquals(666, w.sharePermille());

        assertFalse(w.count(true, 500, 2).crossed(), "one alert per window");
    }

    @Test
    void shouldNeverAlertWithoutMissingUsage() {
        RateWindow w = RateWindow.EMPTY;
        for (int i = 0; i < 100; i++) {
            w = w.count(false, 0, 1);
        }
        assertFalse(w.alerting());
        assertEquals(0, w.sharePermille());
    }
}
