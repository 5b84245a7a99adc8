package io.streammeter.relay.shape.responses;

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
 * OpenAI's Responses API ({@code POST /v1/responses}), streamed and not. The request goes upstream
 * untouched: a Responses stream has no {@code [DONE]} and no {@code include_usage}, because usage
 * always arrives in the terminal event's {@code response} object ({@code response.completed},
 * {@code response.incomplete}, {@code response.failed}), which is also the stream's last event.
 * {@code background} and {@code previous_response_id} are forwarded as sent; the call metered is
 * the one whose body carries the usage (see docs/relay.md).
 */
public final class OpenAiResponses implements ApiShapeAdapter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec(
                    "input", false, (p, value) -> PromptText.stringOrMessages(p, value), false);

    @Override
    public ApiShape shape() {
        return ApiShape.OPENAI_RESPONSES;
    }

    @Override
    public String upstreamPath() {
        return "/responses";
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
        out.reset(event.dataLength());
        if (event.truncated()) {
            out.setMalformed();
            return;
        }
        ResponsesEventReader.readEvent(
                JSON, event.data(), event.dataLength(), event.type(), soFar, out);
    }

    @Override
    public void readBody(byte[] body, int length, StreamUsage soFar, ChunkFacts out) {
        out.reset(length);
        ResponsesEventReader.readBody(JSON, body, length, soFar, out);
    }

    @Override
    public String errorMessage(byte[] body, int length) {
        return ErrorText.ofBody(JSON, body, length, false);
    }

    @Override
    public boolean mayBeRemovable(byte[] data, int length) {
        return false; // nothing is asked for that the client did not ask for
    }
}
