package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.avro.Usage;
import java.io.IOException;

/**
 * An OpenAI {@code usage} object onto the line item's {@link Usage}, for every OpenAI shape. Chat
 * and legacy completions and embeddings name the counts {@code prompt_tokens} / {@code
 * completion_tokens} with {@code prompt_tokens_details.cached_tokens} and {@code
 * completion_tokens_details.reasoning_tokens}; the Responses API names the same counts {@code
 * input_tokens} / {@code output_tokens} with {@code input_tokens_details} / {@code
 * output_tokens_details}. Both spellings map the same way.
 */
public final class OpenAiUsage {
    private OpenAiUsage() {}

    /** The usage of the current value, or null when it is no object ({@code "usage": null}). */
    public static Usage read(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        long prompt = 0;
        long completion = 0;
        long total = -1;
        Long cached = null;
        Long reasoning = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            switch (name) {
                case "prompt_tokens", "input_tokens" -> prompt = JsonCounts.count(p, field, 0);
                case "completion_tokens", "output_tokens" ->
                        completion = JsonCounts.count(p, field, 0);
                case "total_tokens" -> total = JsonCounts.count(p, field, -1);
                case "prompt_tokens_details", "input_tokens_details" ->
                        cached = JsonCounts.detail(p, field, "cached_tokens");
                case "completion_tokens_details", "output_tokens_details" ->
                        reasoning = JsonCounts.detail(p, field, "reasoning_tokens");
                default -> p.skipChildren();
            }
        }
        // total_tokens is taken as reported; only an upstream that omits it gets the sum.
        return new Usage(
                prompt,
                completion,
                total >= 0 ? total : prompt + completion,
                cached,
                reasoning,
                null,
                false);
    }
}
