package io.streammeter.relay.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Every error the relay itself answers with, in OpenAI's shape: {@code
 * {"error":{"message","type","param","code"}}}. The kind fixes the HTTP status, type and code in
 * one place; messages never contain a key or other secret.
 */
public record ApiError(Kind kind, String message, String param) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The closed set of relay errors. */
    public enum Kind {
        INVALID_REQUEST(400, "invalid_request_error", "invalid_request"),
        UNAUTHENTICATED(401, "invalid_request_error", "missing_api_key"),
        NOT_FOUND(404, "invalid_request_error", "unknown_url"),
        METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
        BODY_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
        UPSTREAM_UNREACHABLE(502, "upstream_error", "upstream_unreachable"),
        SHUTTING_DOWN(503, "server_error", "relay_shutting_down"),
        UPSTREAM_TIMEOUT(504, "upstream_error", "upstream_timeout");

        private final int status;
        private final String type;
        private final String code;

        Kind(int status, String type, String code) {
            this.status = status;
            this.type = type;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String type() {
            return type;
        }

        public String code() {
            return code;
        }
    }

    public static ApiError of(Kind kind, String message) {
        return new ApiError(kind, message, null);
    }

    public int status() {
        return kind.status();
    }

    /** The JSON body. */
    public Buffer json() {
        return Buffer.buffer(text());
    }

    /** The error as one SSE event, for a stream whose headers are already sent. */
    public Buffer sseEvent() {
        return Buffer.buffer("data: " + text() + "\n\n");
    }

    private String text() {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", kind.type());
            g.writeStringField("param", param);
            g.writeStringField("code", kind.code());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen writing to a StringWriter", e);
        }
        return out.toString();
    }
}
