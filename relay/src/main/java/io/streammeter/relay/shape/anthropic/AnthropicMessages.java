package io.streammeter.relay.shape.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import io.streammeter.avro.ApiShape;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.Credentials;
import io.streammeter.relay.shape.ErrorFormat;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.sse.SseEvent;
import io.vertx.core.MultiMap;

/**
 * Anthropic messages ({@code POST /v1/messages}), streamed and not. The key comes in {@code
 * x-api-key} (or {@code Authorization: Bearer}); the request goes upstream untouched, since every
 * stream carries usage: input and cache counts in {@code message_start}, the cumulative output
 * count in {@code message_delta}. {@code ping} is a keep-alive, {@code message_stop} the end
 * marker, an {@code error} event an upstream error. Nothing is ever removed from the client's
 * stream.
 */
public final class AnthropicMessages implements ApiShapeAdapter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public ApiShape shape() {
        return ApiShape.ANTHROPIC_MESSAGES;
    }

    @Override
    public String upstreamPath() {
        return "/messages";
    }

    @Override
    public String apiKey(MultiMap headers) {
        return Credentials.xApiKeyOrBearer(headers);
    }

    @Override
    public String missingKeyMessage() {
        return "x-api-key header is required";
    }

    @Override
    public void replaceApiKey(MultiMap upstreamHeaders, String upstreamKey) {
        Credentials.setXApiKey(upstreamHeaders, upstreamKey);
    }

    @Override
    public ErrorFormat errorFormat() {
        return ErrorFormat.ANTHROPIC;
    }

    @Override
    public RequestFacts readRequest(byte[] body) throws InvalidRequestException {
        return AnthropicRequest.read(JSON, body);
    }

    @Override
    public void readEvent(SseEvent event, StreamUsage soFar, ChunkFacts out) {
        out.reset(event.dataLength());
        if (event.truncated()) {
            out.setMalformed();
            return;
        }
        AnthropicEventReader.readEvent(
                JSON, event.data(), event.dataLength(), event.type(), soFar, out);
    }

    @Override
    public void readBody(byte[] body, int length, StreamUsage soFar, ChunkFacts out) {
        out.reset(length);
        AnthropicEventReader.readBody(JSON, body, length, soFar, out);
    }

    @Override
    public String errorMessage(byte[] body, int length) {
        return AnthropicEventReader.errorMessage(JSON, body, length);
    }

    @Override
    public boolean mayBeRemovable(byte[] data, int length) {
        return false; // the relay never asks an Anthropic upstream for anything the client did not
    }
}
