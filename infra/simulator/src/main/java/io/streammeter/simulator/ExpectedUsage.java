package io.streammeter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The token usage the simulator reports for a request: a pure, deterministic function of the
 * request body and the script, and the very function the server uses when it writes usage.
 *
 * <ul>
 *   <li>prompt ({@code prompt_tokens} / {@code input_tokens}): for every message, and for the
 *       Anthropic {@code system} field, {@code 3 + ceil(chars / 4)}, where chars counts the code
 *       points of a string {@code content}, or of the {@code text} fields of a content array.
 *   <li>completion per choice: {@code ceil(chars / 4)} of the text generated, that is {@code chunks
 *       * chunk-chars}; with {@code tools=N} the generated tool arguments {@code {"arg":"<N *
 *       chunk-chars>"}}, so {@code 10 + N * chunk-chars}.
 *   <li>OpenAI {@code completion_tokens}: {@code reasoning + n * per-choice}; {@code cached_tokens}
 *       = {@code cached}; {@code reasoning_tokens} = {@code reasoning}.
 *   <li>Anthropic {@code output_tokens}: {@code ceil(thinking * chunk-chars / 4) + per-choice};
 *       {@code cache_read_input_tokens} = {@code cache-read}; {@code cache_creation_input_tokens} =
 *       {@code cache-write}.
 * </ul>
 *
 * See {@link SimUsage} for how each API's fields map onto it.
 */
public final class ExpectedUsage {

    private ExpectedUsage() {}

    /** The usage of a complete answer to this request, whether or not the script reports it. */
    public static SimUsage of(Api api, String body, Script script) {
        return of(api, SimRequest.json(body), script);
    }

    /** The usage of a complete answer to this request, whether or not the script reports it. */
    public static SimUsage of(Api api, JsonNode body, Script script) {
        return of(SimRequest.of(api, body, 0), script);
    }

    /**
     * The last usage the response to this request actually carries, or empty when it carries none
     * ({@code usage=never}, {@code auto} without {@code include_usage}, {@code status}, or an
     * interruption before the usage). After an interruption a stream with {@code usage=every}
     * reports the usage so far; an Anthropic stream reports {@code message_start}'s figures (output
     * 1). This is what {@link SimulatorStats} adds up.
     */
    public static Optional<SimUsage> reported(Api api, String body, Script script) {
        return reported(api, SimRequest.json(body), script);
    }

    /** As {@link #reported(Api, String, Script)}, for a body already read as JSON. */
    public static Optional<SimUsage> reported(Api api, JsonNode body, Script script) {
        return reported(SimRequest.of(api, body, 0), script);
    }

    static Optional<SimUsage> reported(SimRequest request, Script script) {
        if (script.status() > 0) {
            return Optional.empty();
        }
        boolean interrupted = script.interruptAfter() >= 0;
        if (request.api() == Api.EMBEDDINGS) {
            boolean none = interrupted || script.usage() == Script.UsageMode.NEVER;
            return none ? Optional.empty() : Optional.of(of(request, script));
        }
        if (request.api() == Api.RESPONSES) {
            // Usage is in the terminal response only, whatever its status; cut answers have none.
            boolean none = interrupted || script.usage() == Script.UsageMode.NEVER;
            return none ? Optional.empty() : Optional.of(of(request, script));
        }
        if (request.api() == Api.MESSAGES) {
            if (!interrupted) {
                return Optional.of(of(request, script));
            }
            return Optional.ofNullable(
                    request.stream()
                            ? SimUsage.anthropic(
                                    request.promptTokens(),
                                    1,
                                    script.cacheRead(),
                                    script.cacheWrite())
                            : null);
        }
        if (!request.stream()) {
            boolean none = interrupted || script.usage() == Script.UsageMode.NEVER;
            return none ? Optional.empty() : Optional.of(of(request, script));
        }
        if (script.usage() == Script.UsageMode.EVERY) {
            int steps = interrupted ? script.interruptAfter() : script.contentSteps();
            return Optional.of(
                    openAiAfter(request, script, request.n() * stepTokens(script, steps)));
        }
        boolean reports =
                switch (script.usage()) {
                    case AUTO -> request.includeUsage();
                    case SEPARATE, FINISH -> true;
                    case EVERY, NEVER -> false;
                };
        return reports && !interrupted ? Optional.of(of(request, script)) : Optional.empty();
    }

    static SimUsage of(SimRequest request, Script script) {
        if (request.api() == Api.EMBEDDINGS) {
            return SimUsage.openAi(request.promptTokens(), 0, 0, 0);
        }
        long perChoice = stepTokens(script, script.contentSteps());
        if (request.api() == Api.MESSAGES) {
            long output = ceilQuarter((long) script.thinking() * script.chunkChars()) + perChoice;
            return SimUsage.anthropic(
                    request.promptTokens(), output, script.cacheRead(), script.cacheWrite());
        }
        return openAiAfter(request, script, request.n() * perChoice);
    }

    /** OpenAI usage once the choices together have generated {@code generated} tokens. */
    static SimUsage openAiAfter(SimRequest request, Script script, long generated) {
        return SimUsage.openAi(
                request.promptTokens(),
                script.reasoning() + generated,
                script.cached(),
                script.reasoning());
    }

    /** Tokens one choice has generated after {@code steps} content steps. */
    static long stepTokens(Script script, int steps) {
        long chars = (long) steps * script.chunkChars();
        if (script.tools() > 0 && steps > 0) {
            chars += ToolArguments.PREFIX.length() + (steps == script.tools() ? 2 : 0);
        }
        return ceilQuarter(chars);
    }

    static long promptTokens(Api api, JsonNode body) {
        long tokens = 0;
        if (api == Api.COMPLETIONS || api == Api.EMBEDDINGS) {
            return inputTokens(body.path(api == Api.COMPLETIONS ? "prompt" : "input"));
        }
        JsonNode input = body.path("input");
        if (api == Api.RESPONSES && input.isTextual()) {
            return 3 + ceilQuarter(chars(input));
        }
        for (JsonNode message : api == Api.RESPONSES ? input : body.path("messages")) {
            tokens += 3 + ceilQuarter(chars(message.path("content")));
        }
        JsonNode system = body.path("system");
        if (api == Api.MESSAGES && !system.isMissingNode() && !system.isNull()) {
            tokens += 3 + ceilQuarter(chars(system));
        }
        return tokens;
    }

    /** Tokens of a prompt: a quarter of its strings' characters, plus each token id given. */
    private static long inputTokens(JsonNode input) {
        if (input.isTextual()) {
            return ceilQuarter(chars(input));
        }
        long tokens = 0;
        for (JsonNode item : input) {
            tokens += item.isNumber() ? 1 : inputTokens(item);
        }
        return tokens;
    }

    private static long chars(JsonNode content) {
        if (content.isTextual()) {
            String text = content.asText();
            return text.codePointCount(0, text.length());
        }
        long chars = 0;
        for (JsonNode part : content) {
            JsonNode text = part.path("text");
            if (text.isTextual()) {
                chars += text.asText().codePointCount(0, text.asText().length());
            }
        }
        return chars;
    }

    private static long ceilQuarter(long chars) {
        return (chars + 3) / 4;
    }
}
