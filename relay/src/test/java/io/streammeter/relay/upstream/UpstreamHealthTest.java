package io.streammeter.relay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.relay.metrics.UpstreamFailure;
import io.streammeter.relay.support.LogCapture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UpstreamHealthTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final UpstreamHealth health = new UpstreamHealth("openai", now::get);

    @Test
    void shouldBeHealthyBeforeAnyNews() {
        assertFalse(health.state().degraded());
    }

    @Test
    void shouldDegradeOnAFailureOfItsOwnAndRecoverOnASuccess() {
        health.succeeded();
        now.addAndGet(SECOND);
        health.failed(UpstreamFailure.UNREACHABLE, "ConnectException");

        UpstreamHealth.State state = health.state();
        assertTrue(state.degraded());
        assertTrue(state.reason().startsWith("unreachable (ConnectException)"), state.reason());

        now.addAndGet(SECOND);
        health.succeeded();
        assertFalse(health.state().degraded());
    }

    @Test
    void shouldDegradeWhenTheUpstreamNeverAnsweredYet() {
        health.failed(UpstreamFailure.TIMEOUT, "no byte in time");

        assertTrue(health.state().degraded());
    }

    @Test
    void shouldNotDegradeOnTheCallersErrors() {
        health.failed(UpstreamFailure.STATUS_4XX, "status 400");

        assertFalse(health.state().degraded());
    }

    @Test
    void shouldForgetAFailureAfterAMinuteWithoutNews() {
        health.failed(UpstreamFailure.STATUS_5XX, "status 503");
        now.addAndGet(UpstreamHealth.DEGRADED_FOR_NANOS);

        assertFalse(health.state().degraded());
    }

    @Test
    void shouldLogEachKindOncePerMinuteWithTheCount() {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 5; i++) {
                health.failed(UpstreamFailure.TIMEOUT, "no byte for 120000 ms");
            }
            health.failed(UpstreamFailure.UNREACHABLE, "ConnectException");
            now.addAndGet(UpstreamHealth.LOG_EVERY_NANOS);
            health.failed(UpstreamFailure.TIMEOUT, "no byte for 120000 ms");

            String text = log.text();
            assertEquals(3, text.lines().filter(l -> l.startsWith("WARN")).count(), text);
            assertTrue(text.contains("Upstream openai: timeout x1 in the last minute"), text);
            assertTrue(text.contains("Upstream openai: unreachable x1"), text);
            assertTrue(text.contains("Upstream openai: timeout x5 in the last minute"), text);
        }
    }
}
