package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Every error the relay itself answers with, written in the shape its route's clients expect
 * ({@link ErrorFormat}): OpenAI's {@code {"error":{"message","type","param","code"}}} or
 * Anthropic's {@code {"type":"error","error":{"type","message"}}}. The kind fixes the HTTP status,
 * types and code in one place; messages never contain a key or other secret.
 */
public record ApiError(Kind kind, String message, String param) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The closed set of relay errors. */
    public enum Kind {
        INVALID_REQUEST(400, "invalid_request_error", "invalid_request", "invalid_request_error"),
        UNAUTHENTICATED(401, "invalid_request_error", "missing_api_key", "authentication_error"),
        INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key", "authentication_error"),
        MODEL_NOT_ALLOWED(403, "invalid_request_error", "model_not_allowed", "permission_error"),
        NOT_FOUND(404, "invalid_request_error", "unknown_url", "not_found_error"),
        METHOD_NOT_ALLOWED(
                405, "invalid_request_error", "method_not_allowed", "invalid_request_error"),
        BODY_TOO_LARGE(413, "invalid_request_error", "request_too_large", "request_too_large"),
        /** The key's or its customer's budget cannot take this request's worst case. */
        BUDGET_EXCEEDED(429, "rate_limit_error", "budget_exceeded", "rate_limit_error"),
        REQUESTS_PER_MINUTE(429, "rate_limit_error", "requests_per_minute", "rate_limit_error"),
        TOKENS_PER_MINUTE(429, "rate_limit_error", "tokens_per_minute", "rate_limit_error"),
        UPSTREAM_UNREACHABLE(502, "upstream_error", "upstream_unreachable", "api_error"),
        /** The upstream closed mid-body while the relay held the body back for its cost. */
        UPSTREAM_TRUNCATED(502, "upstream_error", "upstream_truncated", "api_error"),
        SHUTTING_DOWN(503, "server_error", "relay_shutting_down", "overloaded_error"),
        CREDENTIAL_MISSING(503, "server_error", "upstream_credential_missing", "api_error"),
        /** Metering did not decide the reservation (unreachable, not ready) or none is set up. */
        BUDGET_UNAVAILABLE(503, "server_error", "budget_unavailable", "overloaded_error"),
        /**
         * The spool is full under {@code spool.full-policy=reject}: the request could not be
         * billed.
         */
        METERING_UNAVAILABLE(503, "server_error", "metering_unavailable", "overloaded_error"),
        UPSTREAM_TIMEOUT(504, "upstream_error", "upstream_timeout", "timeout_error");

        private final int status;
        private final String type;
        private final String code;
        private final String anthropicType;

        Kind(int status, String type, String code, String anthropicType) {
            this.status = status;
            this.type = type;
            this.code = code;
            this.anthropicType = anthropicType;
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

        /** The {@code error.type} of Anthropic's error shape. */
        public String anthropicType() {
            return anthropicType;
        }
    }

    public static ApiError of(Kind kind, String message) {
        return new ApiError(kind, message, null);
    }

    public int status() {
        return kind.status();
    }

    /** The JSON body. */
    public Buffer json(ErrorFormat format) {
        return Buffer.buffer(text(format));
    }

    /** The error as one SSE event, for a stream whose headers are already sent. */
    public Buffer sseEvent(ErrorFormat format) {
        String event = format == ErrorFormat.ANTHROPIC ? "event: error\ndata: " : "data: ";
        return Buffer.buffer(event + text(format) + "\n\n");
    }

    private String text(ErrorFormat format) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            switch (format) {
                case OPENAI -> {
                    g.writeObjectFieldStart("error");
                    g.writeStringField("message", message);
                    g.writeStringField("type", kind.type());
                    g.writeStringField("param", param);
                    g.writeStringField("code", kind.code());
                }
                case ANTHROPIC -> {
                    g.writeStringField("type", "error");
                    g.writeObjectFieldStart("error");
                    g.writeStringField("type", kind.anthropicType());
                    g.writeStringField("message", message);
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen writing to a StringWriter", e);
        }
        return out.toString();
    }
}
