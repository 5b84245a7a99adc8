package io.streammeter.relay.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request of any OpenAI shape in one streaming pass ({@code model}, {@code user}, {@code
 * stream}, {@code stream_options} and the shape's input field) and, for a streamed request of a
 * shape that needs it whose client did not ask for usage, splices {@code "include_usage":true} into
 * the original bytes. Nothing is re-serialised: field order, number formats, whitespace and unknown
 * fields reach the upstream exactly as the client sent them.
 */
public final class OpenAiStyleRequest {

    /** Characters of prompt text in an input field's value; the parser is on the value. */
    @FunctionalInterface
    public interface InputChars {
        long read(JsonParser p, JsonToken value) throws IOException, InvalidRequestException;
    }

    /**
     * What differs between the OpenAI shapes' requests.
     *
     * @param input the field holding the prompt ({@code messages}, {@code prompt}, {@code input})
     * @param inputRequired whether a request without it is refused
     * @param chars how the input's prompt characters are counted
     * @param forceUsage whether a streamed request gets {@code stream_options.include_usage} (chat
     *     and legacy completions; the Responses API always reports usage)
     */
    public record Spec(String input, boolean inputRequired, InputChars chars, boolean forceUsage) {}

    private static final byte[] STREAM_OPTIONS =
            "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPTIONS_OBJECT =
            "{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INCLUDE_USAGE =
            "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

    private final JsonFactory json;
    private final Spec spec;

    private String model;
    private String user;
    private boolean stream;
    private boolean hasInput;
    private long promptChars;
    private long objectStart = -1;
    // Where stream_options is and what it holds, for the splice.
    private boolean hasOptions;
    private long optionsStart = -1;
    private long optionsEnd = -1;
    private boolean optionsIsObject;
    private boolean optionsEmpty;
    private boolean includeUsage;
    private long includeStart = -1;
    private long includeEnd = -1;

    private OpenAiStyleRequest(JsonFactory json, Spec spec) {
        this.json = json;
        this.spec = spec;
    }

    /** Validates and reads {@code body}; see the class comment for what goes upstream. */
    public static RequestFacts read(JsonFactory json, Spec spec, byte[] body)
            throws InvalidRequestException {
        return new OpenAiStyleRequest(json, spec).parse(body);
    }

    private RequestFacts parse(byte[] body) throws InvalidRequestException {
        try (JsonParser p = json.createParser(body)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("The request body must be a JSON object.", null);
            }
            objectStart = p.currentTokenLocation().getByteOffset();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                field(p, name);
            }
            if (p.nextToken() != null) {
                throw new InvalidRequestException("Unexpected content after the JSON body.", null);
            }
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(
                    "We could not parse the JSON body of your request: " + e.getOriginalMessage(),
                    null);
        } catch (IOException e) {
            throw new InvalidRequestException("The request body could not be read.", null);
        }
        if (model == null) {
            throw new InvalidRequestException("you must provide a model parameter", "model");
        }
        if (!hasInput && spec.inputRequired()) {
            throw new InvalidRequestException(
                    "Missing required parameter: '" + spec.input() + "'.", spec.input());
        }
        boolean added = stream && !includeUsage && spec.forceUsage();
        Buffer upstream = added ? splice(body) : Buffer.buffer(body);
        return new RequestFacts(
                model, user, stream, stream && includeUsage, added, promptChars, upstream);
    }

    private void field(JsonParser p, String name) throws IOException, InvalidRequestException {
        JsonToken token = p.currentToken();
        if (name.equals(spec.input())) {
            hasInput = true;
            promptChars = spec.chars().read(p, token);
            return;
        }
        switch (name) {
            case "model" -> {
                if (token != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                    throw new InvalidRequestException(
                            "'model' must be a non-empty string.", "model");
                }
                model = p.getText();
            }
            case "stream" -> {
                if (token != JsonToken.VALUE_TRUE
                        && token != JsonToken.VALUE_FALSE
                        && token != JsonToken.VALUE_NULL) {
                    throw new InvalidRequestException("'stream' must be a boolean.", "stream");
                }
                stream = token == JsonToken.VALUE_TRUE;
            }
            case "user" -> {
                if (token == JsonToken.VALUE_STRING) {
                    user = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            case "stream_options" -> {
                if (spec.forceUsage()) {
                    streamOptions(p);
                } else {
                    p.skipChildren();
                }
            }
            default -> p.skipChildren();
        }
    }

    private void streamOptions(JsonParser p) throws IOException, InvalidRequestException {
        hasOptions = true;
        optionsStart = p.currentTokenLocation().getByteOffset();
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            optionsEnd = p.currentLocation().getByteOffset();
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidRequestException(
                    "'stream_options' must be an object.", "stream_options");
        }
        optionsIsObject = true;
        optionsEmpty = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            optionsEmpty = false;
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("include_usage")) {
                if (value != JsonToken.VALUE_TRUE
                        && value != JsonToken.VALUE_FALSE
                        && value != JsonToken.VALUE_NULL) {
                    throw new InvalidRequestException(
                            "'stream_options.include_usage' must be true, false or null.",
                            "stream_options.include_usage");
                }
                includeStart = p.currentTokenLocation().getByteOffset();
                includeUsage = value == JsonToken.VALUE_TRUE;
                consume(p);
                includeEnd = p.currentLocation().getByteOffset();
            } else {
                p.skipChildren();
            }
        }
    }

    /** Moves past the current value, whatever it is, so the location is just after it. */
    private static void consume(JsonParser p) throws IOException {
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
    }

    private Buffer splice(byte[] body) {
        if (!hasOptions) {
            return insert(body, (int) objectStart + 1, STREAM_OPTIONS, false);
        }
        if (!optionsIsObject) {
            return replace(body, (int) optionsStart, (int) optionsEnd, OPTIONS_OBJECT);
        }
        if (includeStart >= 0) {
            return replace(body, (int) includeStart, (int) includeEnd, TRUE);
        }
        return insert(body, (int) optionsStart + 1, INCLUDE_USAGE, !optionsEmpty);
    }

    private static Buffer insert(byte[] body, int at, byte[] text, boolean comma) {
        Buffer out = Buffer.buffer(body.length + text.length + 1);
        out.appendBytes(body, 0, at).appendBytes(text);
        if (comma) {
            out.appendByte((byte) ',');
        }
        return out.appendBytes(body, at, body.length - at);
    }

    private static Buffer replace(byte[] body, int start, int end, byte[] text) {
        Buffer out = Buffer.buffer(body.length + text.length);
        return out.appendBytes(body, 0, start)
                .appendBytes(text)
                .appendBytes(body, end, body.length - end);
    }
}
