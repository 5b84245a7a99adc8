package io.streammeter.relay.shape;

/** How a shape's clients expect the errors the relay answers itself to be written. */
public enum ErrorFormat {
    /** {@code {"error":{"message","type","param","code"}}}; in a stream, a {@code data:} event. */
    OPENAI,
    /** {@code {"type":"error","error":{"type","message"}}}; in a stream, {@code event: error}. */
    ANTHROPIC
}
