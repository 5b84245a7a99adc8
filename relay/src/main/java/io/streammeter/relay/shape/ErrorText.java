package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The text of an error an upstream reported, in a stream event or an error body, for every shape:
 * an {@code error} string, or an {@code error} object's {@code message} (prefixed by its {@code
 * type} when {@code withType}, as Anthropic clients see it), cut to {@link #MAX_CHARS}.
 */
public final class ErrorText {
    public static final int MAX_CHARS = 500;
    private static final String FALLBACK = "upstream error";

    private ErrorText() {}

    /** The text of the current {@code error} value; null for {@code "error": null}. */
    public static String read(JsonParser p, JsonToken value, boolean withType) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return JsonText.shortText(p, MAX_CHARS);
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return value == JsonToken.VALUE_NULL ? null : FALLBACK;
        }
        String type = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            if (field == JsonToken.VALUE_STRING && name.equals("type")) {
                type = JsonText.shortText(p, MAX_CHARS);
            } else if (field == JsonToken.VALUE_STRING && name.equals("message")) {
                message = JsonText.shortText(p, MAX_CHARS);
            } else {
                p.skipChildren();
            }
        }
        if (!withType) {
            return message != null ? message : FALLBACK;
        }
        if (message == null) {
            return type != null ? type : FALLBACK;
        }
        return type == null ? message : type + ": " + message;
    }

    /**
     * The message of an error body: its {@code error} value, or (OpenAI-compatible upstreams) a
     * top-level {@code message}; null when the body has neither or is no JSON object.
     */
    public static String ofBody(JsonFactory json, byte[] body, int length, boolean withType) {
        try (JsonParser p = json.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("error")) {
                    return read(p, value, withType);
                }
                if (name.equals("message") && value == JsonToken.VALUE_STRING && !withType) {
                    return JsonText.shortText(p, MAX_CHARS);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
