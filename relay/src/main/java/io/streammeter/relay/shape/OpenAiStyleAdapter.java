package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import io.streammeter.avro.ApiShape;
import io.streammeter.relay.sse.SseEvent;
import io.vertx.core.MultiMap;

/**
 * What every OpenAI-style API shape does alike: a bearer key, OpenAI's error format, a JSON request
 * read by {@link OpenAiStyleRequest} with the shape's {@link OpenAiStyleRequest.Spec}, and chunks
 * and bodies in the {@code choices}/{@code usage} form. A shape whose events differ (the Responses
 * API) overrides the readers; the rest is one constructor call.
 */
public abstract class OpenAiStyleAdapter implements ApiShapeAdapter {
    /** Thread-safe; one for every OpenAI-style shape. */
    protected static final JsonFactory JSON = new JsonFactory();

    private final ApiShape shape;
    private final String upstreamPath;
    private final OpenAiStyleRequest.Spec request;

    protected OpenAiStyleAdapter(
            ApiShape shape, String upstreamPath, OpenAiStyleRequest.Spec request) {
        this.shape = shape;
        this.upstreamPath = upstreamPath;
        this.request = request;
    }

    @Override
    public ApiShape shape() {
        return shape;
    }

    @Override
    public String upstreamPath() {
        return upstreamPath;
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
        return OpenAiStyleRequest.read(JSON, request, body);
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
