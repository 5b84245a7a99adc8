package io.streammeter.relay.shape;

/** A request body the relay refuses (400), with the message and parameter the client sees. */
public final class InvalidRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String param;

    public InvalidRequestException(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The offending request field, or null. */
    public String param() {
        return param;
    }
}
