package io.streammeter.relay.shape.completions;

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
 * OpenAI's legacy completions ({@code POST /v1/completions}), streamed and not: chat completions'
 * usage rules ({@code include_usage} forced on a stream and its usage-only chunk removed when the
 * client did not ask for it, {@code [DONE]} the end) with a {@code prompt} (string, strings or
 * token arrays) in place of messages and a choice's {@code text} in place of its delta.
 */
public final class OpenAiCompletions implements ApiShapeAdapter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec("prompt", true, PromptText::strings, true);

    @Override
    public ApiShape shape() {
        return ApiShape.OPENAI_COMPLETIONS;
    }

    @Override
    public String upstreamPath() {
        return "/completions";
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
