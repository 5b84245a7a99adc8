package io.streammeter.relay.shape.responses;

import io.streammeter.avro.ApiShape;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.OpenAiStyleAdapter;
import io.streammeter.relay.shape.OpenAiStyleRequest;
import io.streammeter.relay.shape.PromptText;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.sse.SseEvent;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}), streamed and not. The request goes upstream
 * untouched: a Responses stream has no {@code [DONE]} and no {@code include_usage}, because usage
 * always arrives in the terminal event's {@code response} object ({@code response.completed},
 * {@code response.incomplete}, {@code response.failed}), which is also the stream's last event.
 * {@code background} and {@code previous_response_id} are forwarded as sent; the call metered is
 * the one whose body carries the usage (see docs/relay.md).
 */
public final class OpenAiResponses extends OpenAiStyleAdapter {
    private static final OpenAiStyleRequest.Spec REQUEST =
            new OpenAiStyleRequest.Spec(
                    "input", false, (p, value) -> PromptText.stringOrMessages(p, value), false);

    public OpenAiResponses() {
        super(ApiShape.OPENAI_RESPONSES, "/responses", REQUEST);
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
    public boolean mayBeRemovable(byte[] data, int length) {
        return false; // nothing is asked for that the client did not ask for
    }
}
