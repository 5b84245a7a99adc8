package io.streammeter.relay.shape.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.ErrorText;
import io.streammeter.relay.shape.JsonText;
import io.streammeter.relay.shape.OpenAiUsage;
import io.streammeter.relay.shape.StreamUsage;
import java.io.IOException;

/**
 * Reads one Responses API event (or a whole non-streamed response object) with Jackson's streaming
 * parser. Events are typed ({@code type}, with a {@code sequence_number}); the top-level fields are
 * gathered in whatever order they come and applied once the type is known.
 *
 * <p>Usage is only in a {@code response} object: the terminal events {@code response.completed},
 * {@code response.incomplete} and {@code response.failed} carry the whole response, and its usage
 * is the stream's (billed in all three: the tokens were spent). Those events end the stream; an
 * {@code error} event is an upstream error.
 */
final class ResponsesEventReader {
    private ResponsesEventReader() {}

    /** Reads an event's data; {@code eventType} is the SSE {@code event} field, a fallback. */
    static void readEvent(
            JsonFactory json,
            byte[] data,
            int length,
            String eventType,
            StreamUsage soFar,
            ChunkFacts out) {
        String type = null;
        int deltaChars = 0;
        String message = null;
        try (JsonParser p = json.createParser(data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                out.setMalformed();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "delta" ->
                            deltaChars = value == JsonToken.VALUE_STRING ? text(p) : skip(p);
                    case "response" -> response(p, value, soFar, out, false);
                    case "message" ->
                            message =
                                    value == JsonToken.VALUE_STRING
                                            ? JsonText.shortText(p, ErrorText.MAX_CHARS)
                                            : nothing(p);
                    case "error" -> message = ErrorText.read(p, value, false);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            out.setMalformed();
            return;
        }
        String kind = type != null ? type : eventType;
        switch (kind) {
            case "response.output_text.delta", "response.refusal.delta" ->
                    out.addContentChars(deltaChars);
            case "response.function_call_arguments.delta",
                    "response.custom_tool_call_input.delta" ->
                    out.addToolArgumentChars(deltaChars);
            case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" ->
                    out.addReasoningChars(deltaChars);
            case "response.completed", "response.incomplete", "response.failed" -> {
                out.setLast();
                if (out.finishReason() == null) {
                    out.setFinishReason(kind.substring("response.".length()));
                }
                if (kind.equals("response.failed") && out.errorMessage() == null) {
                    out.setErrorMessage("response failed");
                }
            }
            case "error" -> out.setErrorMessage(message != null ? message : "upstream error");
            default -> {} // created, in_progress, output_item.*, *.done: no characters to count
        }
    }

    /** Reads a non-streamed response: one response object. */
    static void readBody(
            JsonFactory json, byte[] data, int length, StreamUsage soFar, ChunkFacts out) {
        try (JsonParser p = json.createParser(data, 0, length)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                out.setMalformed();
                return;
            }
            response(p, first, soFar, out, true);
        } catch (IOException e) {
            out.setMalformed();
        }
    }

    /**
     * A response object: model, status, usage, error, incomplete reason and (when {@code whole}, a
     * non-streamed body) the output items' characters. A streamed response object repeats output
     * the deltas already counted, so its output is skipped.
     */
    private static void response(
            JsonParser p, JsonToken value, StreamUsage soFar, ChunkFacts out, boolean whole)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String status = null;
        String incompleteReason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            switch (name) {
                case "model" -> {
                    if (field == JsonToken.VALUE_STRING
                            && !JsonText.textEquals(p, soFar.modelReported())) {
                        out.setModel(p.getText());
                    }
                }
                case "status" -> status = field == JsonToken.VALUE_STRING ? p.getText() : null;
                case "usage" -> out.setUsage(OpenAiUsage.read(p, field));
                case "error" -> out.setErrorMessage(ErrorText.read(p, field, false));
                case "incomplete_details" -> incompleteReason = reason(p, field);
                case "output" -> {
                    if (whole) {
                        output(p, field, out);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (incompleteReason != null) {
            out.setFinishReason(incompleteReason);
        } else if (status != null && !status.equals("queued") && !status.equals("in_progress")) {
            out.setFinishReason(status);
        }
    }

    private static String reason(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String reason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("reason")) {
                reason = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return reason;
    }

    /** Output items: message text, function-call arguments, reasoning summaries. */
    private static void output(JsonParser p, JsonToken value, ChunkFacts out) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken field = p.nextToken();
                if (name.equals("arguments") && field == JsonToken.VALUE_STRING) {
                    out.addToolArgumentChars(text(p));
                } else if (name.equals("content") && field == JsonToken.START_ARRAY) {
                    out.addContentChars(texts(p));
                } else if (name.equals("summary") && field == JsonToken.START_ARRAY) {
                    out.addReasoningChars(texts(p));
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** Characters of the {@code text} (or {@code refusal}) fields of an array of parts. */
    private static int texts(JsonParser p) throws IOException {
        int chars = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken field = p.nextToken();
                if (field == JsonToken.VALUE_STRING
                        && (name.equals("text") || name.equals("refusal"))) {
                    chars += text(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        return chars;
    }

    private static int text(JsonParser p) throws IOException {
        return JsonText.codePoints(p);
    }

    private static int skip(JsonParser p) throws IOException {
        p.skipChildren();
        return 0;
    }

    private static String nothing(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }
}
