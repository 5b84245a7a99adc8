package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.relay.sse.SseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one chunk (or a whole non-streamed response) of the shapes with {@code choices}, chat and
 * legacy completions, with Jackson's streaming parser: model, choices (content, reasoning and
 * tool-argument characters, a legacy choice's {@code text}, finish reason), usage and error.
 * Unknown fields are skipped without being read into values.
 */
public final class OpenAiChunkReader {
    /** What an OpenAI client without a key is told. */
    public static final String MISSING_KEY =
            "You didn't provide an API key. Provide it in the Authorization header"
                    + " (Authorization: Bearer YOUR_KEY).";

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private OpenAiChunkReader() {}

    /**
     * Reads one data event of a {@code choices} stream: {@code [DONE]} ends it; a chunk with {@code
     * "choices": []} and usage is removable.
     */
    public static void readEvent(
            JsonFactory json, SseEvent event, StreamUsage soFar, ChunkFacts out) {
        out.reset(event.dataLength());
        if (event.dataEquals(DONE)) {
            out.setTerminal();
            return;
        }
        if (event.truncated()) {
            out.setMalformed();
            return;
        }
        read(json, event.data(), event.dataLength(), soFar, out);
        out.setRemovable(out.removable() && out.usage() != null);
    }

    /** Reads a whole non-streamed body; nothing in it is removable. */
    public static void readBody(
            JsonFactory json, byte[] body, int length, StreamUsage soFar, ChunkFacts out) {
        out.reset(length);
        read(json, body, length, soFar, out);
        out.setRemovable(false);
    }

    /** Reads one chunk or body into {@code out}; {@code removable} marks {@code "choices": []}. */
    public static void read(
            JsonFactory json, byte[] data, int length, StreamUsage soFar, ChunkFacts out) {
        try (JsonParser p = json.createParser(data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                out.setMalformed();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> model(p, value, soFar, out);
                    case "choices" -> choices(p, value, out);
                    case "usage" -> out.setUsage(OpenAiUsage.read(p, value));
                    case "error" -> out.setErrorMessage(ErrorText.read(p, value, false));
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            out.setMalformed();
        }
    }

    private static void model(JsonParser p, JsonToken value, StreamUsage soFar, ChunkFacts out)
            throws IOException {
        if (value == JsonToken.VALUE_STRING && !JsonText.textEquals(p, soFar.modelReported())) {
            out.setModel(p.getText());
        }
    }

    private static void choices(JsonParser p, JsonToken value, ChunkFacts out) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        out.setRemovable(true);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.setRemovable(false);
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken field = p.nextToken();
                if ((name.equals("delta") || name.equals("message"))
                        && field == JsonToken.START_OBJECT) {
                    delta(p, out);
                } else if (name.equals("text") && field == JsonToken.VALUE_STRING) {
                    out.addContentChars(JsonText.codePoints(p)); // a legacy completion's choice
                } else if (name.equals("finish_reason") && field == JsonToken.VALUE_STRING) {
                    out.setFinishReason(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private static void delta(JsonParser p, ChunkFacts out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING
                    && (name.equals("content") || name.equals("refusal"))) {
                out.addContentChars(JsonText.codePoints(p));
            } else if (value == JsonToken.VALUE_STRING
                    && (name.equals("reasoning_content") || name.equals("reasoning"))) {
                out.addReasoningChars(JsonText.codePoints(p));
            } else if (name.equals("tool_calls") && value == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == JsonToken.START_OBJECT) {
                        toolCall(p, out);
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (name.equals("function_call") && value == JsonToken.START_OBJECT) {
                function(p, out);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void toolCall(JsonParser p, ChunkFacts out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT && name.equals("function")) {
                function(p, out);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void function(JsonParser p, ChunkFacts out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("arguments")) {
                out.addToolArgumentChars(JsonText.codePoints(p));
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * Whether an event whose data so far is {@code data[0..length)} may still be a usage-only chunk
     * ({@code "choices": []}); see {@code ApiShapeAdapter.mayBeRemovable}.
     */
    public static boolean mayBeUsageOnly(JsonFactory json, byte[] data, int length) {
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
        try (JsonParser p = json.createParser(data, 0, length)) {
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
