package io.streammeter.relay.shape.completions;

import io.streammeter.avro.ApiShape;
import io.streammeter.relay.shape.OpenAiStyleAdapter;
import io.streammeter.relay.shape.OpenAiStyleRequest;
import io.streammeter.relay.shape.PromptText;

/**
 * OpenAI's legacy completions ({@code POST /v1/completions}), streamed and not: chat completions'
 * usage rules ({@code include_usage} forced on a stream and its usage-only chunk removed when the
 * client did not ask for it, {@code [DONE]} the end) with a {@code prompt} (string, strings or
 * token arrays) in place of messages and a choice's {@code text} in place of its delta.
 */
public final class OpenAiCompletions extends OpenAiStyleAdapter {
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec("prompt", true, PromptText::strings, true);

    public OpenAiCompletions() {
        super(ApiShape.OPENAI_COMPLETIONS, "/completions", REQUEST);
    }
}
