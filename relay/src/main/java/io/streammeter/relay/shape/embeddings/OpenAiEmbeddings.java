package io.streammeter.relay.shape.embeddings;

import io.streammeter.avro.ApiShape;
import io.streammeter.relay.shape.OpenAiStyleAdapter;
import io.streammeter.relay.shape.OpenAiStyleRequest;
import io.streammeter.relay.shape.PromptText;

/**
 * OpenAI embeddings ({@code POST /v1/embeddings}): never streamed, usage {@code prompt_tokens} and
 * {@code total_tokens} in the response body (no output tokens). The {@code input} is a string, an
 * array of strings, or token arrays; its string characters are the prompt characters.
 */
public final class OpenAiEmbeddings extends OpenAiStyleAdapter {
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec("input", true, PromptText::strings, false);

    public OpenAiEmbeddings() {
        super(ApiShape.OPENAI_EMBEDDINGS, "/embeddings", REQUEST);
    }
}
