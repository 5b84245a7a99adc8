package io.streammeter.relay.keys;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * What the relay tells metering about a request when it reserves budget for it: the body's size (an
 * upper bound on prompt tokens) and the most output it asked for, per API shape: {@code max_tokens}
 * (chat completions, completions, Anthropic messages), {@code max_completion_tokens} (chat
 * completions, preferred when both are set), {@code max_output_tokens} (responses), times {@code n}
 * choices. Null maximum: metering uses its configured cap per model.
 */
public record RequestBounds(long bodyBytes, Long maxOutputTokens, int choices) {

    /** The bounds of {@code body}; an unreadable body is bounded by its size and the cap. */
    public static RequestBounds of(byte[] body) {
        JsonObject json;
        try {
            json =
                    body.length == 0
                            ? new JsonObject()
                            : new JsonObject(
                                    new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            return new RequestBounds(body.length, null, 1);
        }
        Long max = positive(json, "max_completion_tokens");
        if (max == null) {
            max = positive(json, "max_output_tokens");
        }
        if (max == null) {
            max = positive(json, "max_tokens");
        }
        Long n = positive(json, "n");
        int choices = n == null ? 1 : (int) Math.min(n, Integer.MAX_VALUE);
        return new RequestBounds(body.length, max, choices);
    }

    private static Long positive(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value instanceof Number number && number.longValue() > 0) {
            return number.longValue();
        }
        return null;
    }

    /** Worst-case tokens, for the tokens-per-minute limit: body bytes + maximum × choices. */
    public long worstTokens(long capPerModel) {
        long perChoice = maxOutputTokens == null ? capPerModel : maxOutputTokens;
        return Math.addExact(bodyBytes, Math.multiplyExact(perChoice, (long) choices));
    }
}
