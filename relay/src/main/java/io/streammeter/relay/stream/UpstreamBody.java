package io.streammeter.relay.stream;

import io.vertx.core.buffer.Buffer;

/**
 * What the relay does with the body of an upstream response, by kind: an event stream is metered
 * event by event, a document is read whole at the end, an error body is kept for its message. Each
 * forwards what the client should see as it arrives, through the writer it was given.
 */
sealed interface UpstreamBody permits EventStreamBody, DocumentBody, ErrorBody {

    /** Forwards and meters one buffer of the body. */
    void data(Buffer data);

    /** The ending when the upstream finished the response cleanly. */
    Ending complete();

    /** The ending when the upstream connection broke before the response's end. */
    Ending broken();

    /** Whether the client should get a clean end rather than a reset after {@link #broken()}. */
    default boolean endsCleanlyWhenBroken() {
        return false;
    }

    /** Writes what is still held back: the stream ends inside an event the client should see. */
    default void flush() {}

    /** Whether the relay can append an SSE error event when it ends the stream itself. */
    default boolean acceptsErrorEvent() {
        return false;
    }

    /**
     * Whether the response head waits for this body (a non-streamed body held for its cost): the
     * body writes it itself, through the head writer it was given.
     */
    default boolean holdsHead() {
        return false;
    }

    /** Whether the response's Content-Length still holds for what the client receives. */
    default boolean keepsLength() {
        return true;
    }
}
