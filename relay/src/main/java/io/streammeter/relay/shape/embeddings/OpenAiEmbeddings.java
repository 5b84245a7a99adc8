package io.streammeter.relay.shape.embeddings;

import com.fasterxml.jackson.core.JsonFactory;
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
 * OpenAI embeddings ({@code POST /v1/embeddings}): never streamed, usage {@code prompt_tokens} and
 * {@code total_tokens} in the response body (no output tokens). The {@code input} is a string, an
 * array of strings, or token arrays; its string characters are the prompt characters.
 */
public final class OpenAiEmbeddings implements ApiShapeAdapter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec("input", true, PromptText::strings, false);

    @Override
    public ApiShape shape() {
        return ApiShape.OPENAI_EMBEDDINGS;
    }

    @Override
    public String upstreamPath() {
        return "/embeddings";
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
