package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.avro.ApiShape;
import io.streammeter.relay.sse.SseEvent;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI chat completions ({@code POST /v1/chat/completions}), streamed and not. Usage may come on
 * a separate chunk with {@code "choices": []}, on the finish chunk, as {@code null} on intermediate
 * chunks, or cumulatively on every chunk; the last report is the stream's usage. Each data event is
 * read with Jackson's streaming parser, never into a tree.
 */
public final class OpenAiChatCompletions implements ApiShapeAdapter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

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
        String value = headers.get("Authorization");
        if (value == null
                || value.length() <= 7
                || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = value.substring(7).trim();
        return key.isEmpty() ? null : key;
    }

    @Override
    public String missingKeyMessage() {
        return "You didn't provide an API key. Provide it in the Authorization header"
                + " (Authorization: Bearer YOUR_KEY).";
    }

    @Override
    public void replaceApiKey(MultiMap upstreamHeaders, String upstreamKey) {
        upstreamHeaders.set("Authorization", "Bearer " + upstreamKey);
    }

    @Override
    public ErrorFormat errorFormat() {
        return ErrorFormat.OPENAI;
    }

    @Override
    public RequestFacts readRequest(byte[] body) throws InvalidRequestException {
        return OpenAiRequest.read(JSON, body);
    }

    @Override
    public void readEvent(SseEvent event, StreamUsage soFar, ChunkFacts out) {
        out.reset(event.dataLength());
        if (event.dataEquals(DONE)) {
            out.terminal = true;
            return;
        }
        if (event.truncated()) {
            out.malformed = true;
            return;
        }
        OpenAiChunkReader.read(JSON, event.data(), event.dataLength(), soFar, out);
        out.removable = out.removable && out.usage != null;
    }

    @Override
    public void readBody(byte[] body, int length, StreamUsage soFar, ChunkFacts out) {
        out.reset(length);
        OpenAiChunkReader.read(JSON, body, length, soFar, out);
        out.removable = false;
    }

    @Override
    public String errorMessage(byte[] body, int length) {
        try (JsonParser p = JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("error")) {
                    return OpenAiChunkReader.error(p, value);
                }
                if (name.equals("message") && value == JsonToken.VALUE_STRING) {
                    return JsonText.shortText(p, OpenAiChunkReader.MAX_MESSAGE_CHARS);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean mayBeRemovable(byte[] data, int length) {
        int first = 0;
        while (first < length && Character.isWhitespace(data[first])) {
            first++;
        }
        if (first == length) {
            return true; // nothing to judge yet
        }
        if (data[first] != '{') {
            return false; // [DONE] or something else that is not a chunk
        }
        try (JsonParser p = JSON.createParser(data, 0, length)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("choices")) {
                    return value == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY;
                }
                p.skipChildren();
            }
            return false; // the object ended without choices
        } catch (IOException e) {
            return true; // cut mid-token: not known yet
        }
    }
}
