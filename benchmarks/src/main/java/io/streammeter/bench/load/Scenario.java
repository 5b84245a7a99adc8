package io.streammeter.bench.load;

import java.time.Duration;

/**
 * One load scenario: how many streams run at once, how the simulator paces their chunks, and how
 * long each side is measured.
 *
 * @param name scenario name in the report
 * @param concurrency streams open at once (looping) or streams opened (once)
 * @param chunks content chunks per stream
 * @param delayMs simulator delay between content chunks (milliseconds)
 * @param window how long one side is measured (looping); ignored when {@code once}
 * @param once each stream runs once (idle-open); otherwise every worker loops until the window ends
 * @param ramp time over which the streams of a {@code once} scenario are opened
 */
public record Scenario(
        String name,
        int concurrency,
        int chunks,
        int delayMs,
        Duration window,
        boolean once,
        Duration ramp) {

    /** The simulator script of every request of this scenario. */
    public String script() {
        return "chunks=" + chunks + (delayMs > 0 ? ";delay-ms=" + delayMs : "");
    }

    /**
     * SSE data events a complete stream carries, {@code [DONE]} included: the role chunk, the
     * content chunks, the finish chunk, the usage chunk (the request asks for usage) and [DONE].
     */
    public int expectedEvents() {
        return chunks + 4;
    }

    /** How long one stream of this scenario lasts at the simulator. */
    public Duration streamDuration() {
        return Duration.ofMillis((long) delayMs * chunks);
    }
}
