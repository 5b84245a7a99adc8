package io.streammeter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Error bodies in each API's shape; the one place that maps a status to an error type. */
final class ErrorBody {

    private ErrorBody() {}

    /** The body of a scripted {@code status=NNN} answer. */
    static String forStatus(Api api, int status) {
        String message = "Simulated error: HTTP " + status + " asked by " + Script.HEADER + ".";
        if (api == Api.MESSAGES) {
            return anthropic(anthropicType(status), message);
        }
        return openAi(openAiType(status), message, null, openAiCode(status));
    }

    /** The body of a 400 for a bad request or script; {@code param} names what was wrong. */
    static String badRequest(Api api, String message, String param) {
        if (api == Api.MESSAGES) {
            return anthropic("invalid_request_error", message);
        }
        return openAi("invalid_request_error", message, param, null);
    }

    /** {@code {"error":{"message":…,"type":…,"param":…,"code":…}}}. */
    static String openAi(String type, String message, String param, String code) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code);
        return write(root);
    }

    /** {@code {"type":"error","error":{"type":…,"message":…}}}. */
    static String anthropic(String type, String message) {
        ObjectNode root = SimRequest.MAPPER.createObjectNode().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return write(root);
    }

    private static String openAiType(int status) {
        return switch (status) {
            case 429 -> "requests";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static String openAiCode(int status) {
        return switch (status) {
            case 401 -> "invalid_api_key";
            case 403 -> "permission_denied";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> status >= 500 ? "server_error" : null;
        };
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static String write(ObjectNode root) {
        try {
            return SimRequest.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
