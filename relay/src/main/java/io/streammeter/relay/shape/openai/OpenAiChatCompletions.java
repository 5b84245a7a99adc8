package io.streammeter.relay.shape.openai;

import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.avro.ApiShape;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.OpenAiStyleAdapter;
import io.streammeter.relay.shape.OpenAiStyleRequest;
import io.streammeter.relay.shape.PromptText;

/**
 * OpenAI chat completions ({@code POST /v1/chat/completions}), streamed and not. Usage may come on
 * a separate chunk with {@code "choices": []}, on the finish chunk, as {@code null} on intermediate
 * chunks, or cumulatively on every chunk; the last report is the stream's usage. Each data event is
 * read with Jackson's streaming parser, never into a tree.
 */
public final class OpenAiChatCompletions extends OpenAiStyleAdapter {
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec(
                    "messages",
                    true,
                    (p, value) -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new InvalidRequestException(
                                    "'messages' must be an array.", "messages");
                        }
                        return PromptText.messages(p);
                    },
                    true);

    public OpenAiChatCompletions() {
        super(ApiShape.OPENAI_CHAT_COMPLETIONS, "/chat/completions", REQUEST);
    }
}
