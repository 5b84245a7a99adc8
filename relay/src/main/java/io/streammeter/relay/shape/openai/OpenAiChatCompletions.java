package io.streammeter.relay.shape.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.avro.ApiShape;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.Credentials;
import io.streammeter.relay.shape.ErrorFormat;
import io.streammeter.relay.shape.ErrorText;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.OpenAiChunkReader;
import io.streammeter.relay.shape.OpenAiStyleRequest;
import io.streammeter.relay.shape.PromptText;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.sse.SseEvent;
import io.vertx.core.MultiMap;

/**
 * OpenAI chat completions ({@code POST /v1/chat/completions}), streamed and not. Usage may come on
 * a separate chunk with {@code "choices": []}, on the finish chunk, as {@code null} on intermediate
 * chunks, or cumulatively on every chunk; the last report is the stream's usage. Each data event is
 * read with Jackson's streaming parser, never into a tree.
 */
public final class OpenAiChatCompletions implements ApiShapeAdapter {
    private static final JsonFactory JSON = new JsonFactory();
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

    @Override
    public ApiShape shape() {
        return ApiShape.OPENAI_CHAT_COMPLETIONS;
    }

    @Override
    public String upstreamPath() {
        return "/chat/completions";
    }

    @Override
    public String apiKey(MultiMap headers) {
        return Credentials.bearer(headers);
    }

    @Override
    public String missingKeyMessage() {
        return OpenAiChunkReader.MISSING_KEY;
    }

    @Override
    public void replaceApiKey(MultiMap upstreamHeaders, String upstreamKey) {
        Credentials.setBearer(upstreamHeaders, upstreamKey);
    }

    @Override
    public ErrorFormat errorFormat() {
        return ErrorFormat.OPENAI;
    }

    @Override
    public RequestFacts readRequest(byte[] body) throws InvalidRequestException {
        return OpenAiStyleRequest.read(JSON, REQUEST, body);
    }

    @Override
    public void readEvent(SseEvent event, StreamUsage soFar, ChunkFacts out) {
        OpenAiChunkReader.readEvent(JSON, event, soFar, out);
    }

    @Override
    public void readBody(byte[] body, int length, StreamUsage soFar, ChunkFacts out) {
        OpenAiChunkReader.readBody(JSON, body, length, soFar, out);
    }

    @Override
    public String errorMessage(byte[] body, int length) {
        return ErrorText.ofBody(JSON, body, length, false);
    }

    @Override
    public boolean mayBeRemovable(byte[] data, int length) {
        return OpenAiChunkReader.mayBeUsageOnly(JSON, data, length);
    }
}
