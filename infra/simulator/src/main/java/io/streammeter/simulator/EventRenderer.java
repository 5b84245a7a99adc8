package io.streammeter.simulator;

/** Turns one planned event of an API into SSE text. */
interface EventRenderer<K> {

    /**
     * Appends event {@code offset} of a run of {@code kind}, framing included.
     *
     * @return the usage this event carries, or null if it carries none
     */
    SimUsage append(StringBuilder out, K kind, int offset);
}
