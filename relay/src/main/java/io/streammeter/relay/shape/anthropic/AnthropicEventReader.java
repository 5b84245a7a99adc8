package io.streammeter.relay.shape.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.avro.Usage;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.ErrorText;
import io.streammeter.relay.shape.JsonCounts;
import io.streammeter.relay.shape.JsonText;
import io.streammeter.relay.shape.StreamUsage;
import java.io.IOException;

/**
 * Reads one Anthropic stream event (or a whole non-streamed message) with Jackson's streaming
 * parser. Fields are gathered in whatever order they come and applied once the event's {@code type}
 * is known; unknown fields and event types are skipped, so new ones pass as plain chunks.
 *
 * <p>Usage: {@code message_start} reports input, cache-write, cache-read and an initial output
 * count; {@code message_delta} reports the cumulative output count and may repeat the input counts.
 * Each report is merged into the usage so far: a count present replaces the one before, a count
 * absent keeps it, nothing is ever added up. Usage from {@code message_start} is marked {@code
 * partial} (its output count is provisional) until {@code message_delta} brings the final one, so a
 * stream cut in between is billed as partial usage, not as a 1-token answer.
 */
final class AnthropicEventReader {
    private AnthropicEventReader() {}

    /** The counts one usage object carried; -1 for a count it did not carry. */
    private static final class Counts {
        long input = -1;
        long cacheCreation = -1;
        long cacheRead = -1;
        long output = -1;
    }

    /**
     * Reads an event's data.
     *
     * @param eventType the SSE {@code event} field, used when the data names no {@code type}
     */
    static void readEvent(
            JsonFactory json,
            byte[] data,
            int length,
            String eventType,
            StreamUsage soFar,
            ChunkFacts out) {
        String type = null;
        Counts counts = null;
        String error = null;
        try (JsonParser p = json.createParser(data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                out.setMalformed();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "message" -> counts = message(p, value, data, soFar, out, counts);
                    case "usage" -> counts = usage(p, value, counts);
                    case "delta" -> delta(p, value, out);
                    case "error" -> error = error(p, value);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            out.setMalformed();
            return;
        }
        switch (type != null ? type : eventType) {
            case "ping" -> out.setKeepAlive();
            case "message_stop" -> out.setTerminal();
            case "error" -> out.setErrorMessage(error != null ? error : "upstream error");
            default -> {
                if (counts != null) {
                    String kind = type != null ? type : eventType;
                    out.setUsage(merge(soFar.usage(), counts, "message_start".equals(kind)));
                }
            }
        }
    }

    /** Reads a non-streamed response: one message object. */
    static void readBody(
            JsonFactory json, byte[] data, int length, StreamUsage soFar, ChunkFacts out) {
        try (JsonParser p = json.createParser(data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                out.setMalformed();
                return;
            }
            Counts counts = message(p, JsonToken.START_OBJECT, data, soFar, out, null);
            if (counts != null) {
                out.setUsage(merge(soFar.usage(), counts, false));
            }
        } catch (IOException e) {
            out.setMalformed();
        }
    }

    /** The text of an error body's {@code error} object, or null when it has none. */
    static String errorMessage(JsonFactory json, byte[] data, int length) {
        return ErrorText.ofBody(json, data, length, true);
    }

    /** A message object: model, stop reason, usage and (non-streamed) content blocks. */
    private static Counts message(
            JsonParser p,
            JsonToken value,
            byte[] data,
            StreamUsage soFar,
            ChunkFacts out,
            Counts counts)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return counts;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            switch (name) {
                case "model" -> {
                    if (field == JsonToken.VALUE_STRING
                            && !JsonText.textEquals(p, soFar.modelReported())) {
                        out.setModel(p.getText());
                    }
                }
                case "stop_reason" -> {
                    if (field == JsonToken.VALUE_STRING) {
                        out.setFinishReason(p.getText());
                    }
                }
                case "usage" -> counts = usage(p, field, counts);
                case "content" -> content(p, field, data, out);
                case "error" -> out.setErrorMessage(error(p, field));
                default -> p.skipChildren();
            }
        }
        return counts;
    }

    /** Content blocks of a whole message: text, thinking, and tool input (its JSON text). */
    private static void content(JsonParser p, JsonToken value, byte[] data, ChunkFacts out)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken field = p.nextToken();
                if (name.equals("text") && field == JsonToken.VALUE_STRING) {
                    out.addContentChars(JsonText.codePoints(p));
                } else if (name.equals("thinking") && field == JsonToken.VALUE_STRING) {
                    out.addReasoningChars(JsonText.codePoints(p));
                } else if (name.equals("input")) {
                    out.addToolArgumentChars(rawCodePoints(p, data));
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** A content block delta, or message_delta's delta: text, tool JSON, thinking, stop reason. */
    private static void delta(JsonParser p, JsonToken value, ChunkFacts out) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            if (field != JsonToken.VALUE_STRING) {
                p.skipChildren();
                continue;
            }
            switch (name) {
                case "text" -> out.addContentChars(JsonText.codePoints(p));
                case "partial_json" -> out.addToolArgumentChars(JsonText.codePoints(p));
                case "thinking" -> out.addReasoningChars(JsonText.codePoints(p));
                case "stop_reason" -> out.setFinishReason(p.getText());
                default -> {} // signature, citations: no characters of the answer
            }
        }
    }

    private static Counts usage(JsonParser p, JsonToken value, Counts counts) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return counts;
        }
        Counts read = counts != null ? counts : new Counts();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            switch (name) {
                case "input_tokens" -> read.input = JsonCounts.count(p, field, read.input);
                case "cache_creation_input_tokens" ->
                        read.cacheCreation = JsonCounts.count(p, field, read.cacheCreation);
                case "cache_read_input_tokens" ->
                        read.cacheRead = JsonCounts.count(p, field, read.cacheRead);
                case "output_tokens" -> read.output = JsonCounts.count(p, field, read.output);
                default -> p.skipChildren();
            }
        }
        return read;
    }

    /**
     * The usage so far with this report's counts in place of the earlier ones. The prompt is input
     * + cache read + cache write; cache read is the cached part, cache write its own part. {@code
     * partial}: the report's output count is not final (message_start).
     */
    static Usage merge(Usage before, Counts report, boolean partial) {
        Long cacheRead =
                report.cacheRead >= 0
                        ? Long.valueOf(report.cacheRead)
                        : before == null ? null : before.getCachedPromptTokens();
        Long cacheCreation =
                report.cacheCreation >= 0
                        ? Long.valueOf(report.cacheCreation)
                        : before == null ? null : before.getCacheCreationPromptTokens();
        long input;
        if (report.input >= 0) {
            input = report.input;
        } else if (before == null) {
            input = 0;
        } else {
            input =
                    before.getPromptTokens()
                            - orZero(before.getCachedPromptTokens())
                            - orZero(before.getCacheCreationPromptTokens());
        }
        long output =
                report.output >= 0
                        ? report.output
                        : before == null ? 0 : before.getCompletionTokens();
        long prompt = input + orZero(cacheRead) + orZero(cacheCreation);
        return new Usage(prompt, output, prompt + output, cacheRead, null, cacheCreation, partial);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** {@code type: message} of an error object, or its text when it is a string. */
    private static String error(JsonParser p, JsonToken value) throws IOException {
        return ErrorText.read(p, value, true);
    }

    /** Code points of the current value's JSON text as sent (the parser reads {@code data}). */
    private static int rawCodePoints(JsonParser p, byte[] data) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        int end = (int) p.currentLocation().getByteOffset();
        int count = 0;
        for (int i = start; i < end; i++) {
            if ((data[i] & 0xC0) != 0x80) {
                count++; // every byte but a UTF-8 continuation byte starts a code point
            }
        }
        return count;
    }
}
