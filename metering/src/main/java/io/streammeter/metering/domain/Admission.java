package io.streammeter.metering.domain;

/**
 * What an arriving event means for its stream. Everything but {@link #NEW} changes nothing; the
 * name is the {@code kind} tag of the duplicate-events metric.
 */
public enum Admission {
    /** An event not seen before: fold it in. */
    NEW,
    /** Its event id (stream id and sequence) was already seen. */
    DUPLICATE,
    /** The stream's end was already seen and this is a second end, or comes after it. */
    AFTER_END,
    /** The stream's line item was already emitted and is complete. */
    CLOSED;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
