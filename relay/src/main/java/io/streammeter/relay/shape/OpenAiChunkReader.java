package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.avro.Usage;
import java.io.IOException;

/**
 * Reads one OpenAI chunk (or a whole non-streamed completion) with Jackson's streaming parser:
 * model, choices (content, reasoning and tool-argument characters, finish reason), usage and error.
 * Unknown fields are skipped without being read into values.
 */
final class OpenAiChunkReader {
    static final int MAX_MESSAGE_CHARS = 500;

    private OpenAiChunkReader() {}

    static void read(JsonFactory json, byte[] data, int length, StreamUsage soFar, ChunkFacts out) {
        try (JsonParser p = json.createParser(data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                out.malformed = true;
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> model(p, value, soFar, out);
                    case "choices" -> choices(p, value, out);
                    case "usage" -> out.usage = usage(p, value);
                    case "error" -> out.errorMessage = error(p, value);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            out.malformed = true;
        }
    }

    private static void model(JsonParser p, JsonToken value, StreamUsage soFar, ChunkFacts out)
            throws IOException {
        if (value == JsonToken.VALUE_STRING && !JsonText.textEquals(p, soFar.modelReported())) {
            out.model = p.getText();
        }
    }

    private static void choices(JsonParser p, JsonToken value, ChunkFacts out) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        out.removable = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.removable = false;
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
                } else if (name.equals("finish_reason") && field == JsonToken.VALUE_STRING) {
                    out.finishReason = p.getText();
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
                out.contentChars += JsonText.codePoints(p);
            } else if (value == JsonToken.VALUE_STRING
                    && (name.equals("reasoning_content") || name.equals("reasoning"))) {
                out.reasoningChars += JsonText.codePoints(p);
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
                out.toolArgumentChars += JsonText.codePoints(p);
            } else {
                p.skipChildren();
            }
        }
    }

    private static Usage usage(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null; // "usage": null on intermediate chunks
        }
        long prompt = 0;
        long completion = 0;
        long total = -1;
        Long cached = null;
        Long reasoning = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = number(p, field, 0);
                case "completion_tokens" -> completion = number(p, field, 0);
                case "total_tokens" -> total = number(p, field, -1);
                case "prompt_tokens_details" -> cached = detail(p, field, "cached_tokens");
                case "completion_tokens_details" ->
                        reasoning = detail(p, field, "reasoning_tokens");
                default -> p.skipChildren();
            }
        }
        // total_tokens is taken as reported; only an upstream that omits it gets the sum.
        return new Usage(
                prompt,
                completion,
                total >= 0 ? total : prompt + completion,
                cached,
                reasoning,
                null,
                false);
    }

    private static Long detail(JsonParser p, JsonToken value, String wanted) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Long found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            if (name.equals(wanted) && field == JsonToken.VALUE_NUMBER_INT) {
                found = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static long number(JsonParser p, JsonToken value, long otherwise) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        p.skipChildren();
        return otherwise;
    }

    static String error(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return JsonText.shortText(p, MAX_MESSAGE_CHARS);
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return value == JsonToken.VALUE_NULL ? null : "upstream error";
        }
        String message = "upstream error";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("message")) {
                message = JsonText.shortText(p, MAX_MESSAGE_CHARS);
            } else {
                p.skipChildren();
            }
        }
        return message;
    }
}
