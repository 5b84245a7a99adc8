package io.streammeter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * What the simulator needs from a request body, read once.
 *
 * @param model the requested model
 * @param toolName the first declared tool's name, or {@code simulated_tool}
 * @param seed a hash of the body bytes, from which ids and {@code created} derive so equal requests
 *     get equal bytes (and a gzipped or CRLF answer the same ids as a plain one)
 */
record SimRequest(
        Api api,
        String model,
        boolean stream,
        boolean includeUsage,
        int n,
        long promptTokens,
        String toolName,
        long seed) {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int MAX_N = 128;
    private static final String ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * Reads a request body of the given API.
     *
     * @throws IllegalArgumentException naming the field when the body is not a valid request
     */
    static SimRequest of(Api api, JsonNode body, long seed) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw new IllegalArgumentException("'model' is required and must be a string");
        }
        if (api == Api.COMPLETIONS || api == Api.EMBEDDINGS) {
            String field = api == Api.COMPLETIONS ? "prompt" : "input";
            JsonNode input = body.get(field);
            if (input == null || (!input.isTextual() && !input.isArray())) {
                throw new IllegalArgumentException(
                        "'" + field + "' is required and must be a string or an array");
            }
        } else if (api == Api.RESPONSES) {
            JsonNode input = body.get("input");
            if (input != null && !input.isTextual() && !input.isArray()) {
                throw new IllegalArgumentException("'input' must be a string or an array");
            }
        } else {
            JsonNode messages = body.get("messages");
            if (messages == null || !messages.isArray()) {
                throw new IllegalArgumentException("'messages' is required and must be an array");
            }
        }
        JsonNode stream = body.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
            throw new IllegalArgumentException("'stream' must be a boolean");
        }
        return new SimRequest(
                api,
                model.asText(),
                api != Api.EMBEDDINGS && stream.asBoolean(false),
                body.path("stream_options").path("include_usage").asBoolean(false),
                api == Api.CHAT_COMPLETIONS ? choices(body.path("n")) : 1,
                ExpectedUsage.promptTokens(api, body),
                toolName(api, body),
                seed);
    }

    /**
     * Reads JSON text.
     *
     * @throws IllegalArgumentException when the text is not JSON
     */
    static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the request body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads JSON bytes.
     *
     * @throws IllegalArgumentException when the bytes are not JSON
     */
    static JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw new IllegalArgumentException("the request body is empty");
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "the request body is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** A 64-bit FNV-1a hash of the body: stable across runs and machines. */
    static long seed(byte[] body) {
        long h = 0xcbf29ce484222325L;
        for (byte b : body) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** A deterministic id such as {@code chatcmpl-…}; {@code salt} separates ids of one request. */
    String id(String prefix, int salt, int length) {
        SplittableRandom random = new SplittableRandom(seed * 31 + salt);
        StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return id.toString();
    }

    /** A deterministic Unix time in the two years after 2024-01-01. */
    long created() {
        return 1_704_067_200L + Math.floorMod(seed, 2L * 365 * 24 * 3600);
    }

    /** The model, escaped to sit inside a JSON string. */
    String modelJson() {
        return new String(JsonStringEncoder.getInstance().quoteAsString(model));
    }

    /** The tool name, escaped to sit inside a JSON string. */
    String toolNameJson() {
        return new String(JsonStringEncoder.getInstance().quoteAsString(toolName));
    }

    private static int choices(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > MAX_N) {
            throw new IllegalArgumentException("'n' must be an integer between 1 and " + MAX_N);
        }
        return n.asInt();
    }

    private static String toolName(Api api, JsonNode body) {
        JsonNode first = body.path("tools").path(0);
        JsonNode name =
                api == Api.CHAT_COMPLETIONS
                        ? first.path("function").path("name")
                        : first.path("name");
        return name.isTextual() ? name.asText() : "simulated_tool";
    }
}
