package io.streammeter.simulator;

/** Frames SSE events as the script asks: LF or CRLF line ends, optional comment lines. */
record SseFraming(String eol, boolean comments) {

    static SseFraming of(Script script) {
        return new SseFraming(script.crlf() ? "\r\n" : "\n", script.comments());
    }

    /** Starts an event: the comment line if asked, the {@code event:} line if named, "data: ". */
    StringBuilder open(StringBuilder out, String event) {
        if (comments) {
            out.append(": keep-alive").append(eol).append(eol);
        }
        if (event != null) {
            out.append("event: ").append(event).append(eol);
        }
        return out.append("data: ");
    }

    /** Ends an event's data line and the event. */
    void close(StringBuilder out) {
        out.append(eol).append(eol);
    }
}
