package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Characters of prompt text in a request, the basis of metering's estimate when usage never
 * arrives: code points of each message's string {@code content}, or of the {@code text} fields of
 * its content parts. Every shape with messages writes them this way (and Anthropic's {@code system}
 * too); legacy completions and embeddings send strings or token arrays instead.
 */
public final class PromptText {
    private PromptText() {}

    /** Characters of a {@code messages} array; the parser is on its START_ARRAY. */
    public static long messages(JsonParser p) throws IOException {
        long chars = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("content")) {
                    chars += content(p, value);
                } else {
                    p.skipChildren();
                }
            }
        }
        return chars;
    }

    /** Characters of a string, or of the {@code text} fields of an array of parts. */
    public static long content(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return JsonText.codePoints(p);
        }
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return 0;
        }
        long chars = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken field = p.nextToken();
                if (name.equals("text") && field == JsonToken.VALUE_STRING) {
                    chars += JsonText.codePoints(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        return chars;
    }

    /**
     * Characters of every string in the value: a string, an array of strings, or token arrays
     * (which hold no text and count 0). The parser is on the value.
     */
    public static long strings(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return JsonText.codePoints(p);
        }
        if (!value.isStructStart()) {
            return 0;
        }
        long chars = 0;
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if (t == JsonToken.VALUE_STRING) {
                chars += JsonText.codePoints(p);
            }
        }
        return chars;
    }

    /** Characters of a string, or of a {@code messages}-like array of items with content. */
    public static long stringOrMessages(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.START_ARRAY) {
            return messages(p);
        }
        return content(p, value);
    }
}
