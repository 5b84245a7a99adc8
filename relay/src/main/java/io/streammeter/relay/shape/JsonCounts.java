package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Token counts out of usage objects, read the same way for every shape: a count is a non-negative
 * JSON integer; anything else (null, a string, a fraction, a negative number) counts as absent,
 * since billing a negative count would pay the caller.
 */
public final class JsonCounts {
    private JsonCounts() {}

    /** The current value as a count, or {@code otherwise} when it is none (and skipped). */
    public static long count(JsonParser p, JsonToken value, long otherwise) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0) {
            return p.getLongValue();
        }
        p.skipChildren();
        return otherwise;
    }

    /**
     * The count named {@code wanted} inside the current object value (a {@code *_details} object),
     * or null when the value is no object or carries no such count.
     */
    public static Long detail(JsonParser p, JsonToken value, String wanted) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Long found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            if (name.equals(wanted)) {
                long count = count(p, field, -1);
                found = count >= 0 ? Long.valueOf(count) : null;
            } else {
                p.skipChildren();
            }
        }
        return found;
    }
}
