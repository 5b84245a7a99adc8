package io.streammeter.simulator;

/**
 * How the simulator answers one request, parsed from the {@code X-Sim-Script} header.
 *
 * <p>The header holds {@code key=value} pairs separated by {@code ;}, for example {@code
 * chunks=32;delay-ms=20;usage=finish}. Every key is documented in the module README. A "content
 * step" is one content chunk, or one tool-argument fragment when {@code tools > 0}; the {@code
 * *-after} keys count content steps. Values of {@code -1} mean "off" for the {@code *-after} keys
 * and {@code 0} means "off" for {@code status}.
 *
 * @param chunks content chunks per choice ({@code chunks})
 * @param chunkChars characters (Unicode code points) per content chunk ({@code chunk-chars})
 * @param text the alphabet of generated text ({@code text})
 * @param firstDelayMs milliseconds before the first event ({@code first-delay-ms})
 * @param delayMs milliseconds between content steps ({@code delay-ms})
 * @param usage where OpenAI usage goes in a stream ({@code usage})
 * @param tools tool-argument fragments; 0 answers with text ({@code tools})
 * @param cached {@code prompt_tokens_details.cached_tokens} ({@code cached})
 * @param reasoning {@code completion_tokens_details.reasoning_tokens} ({@code reasoning})
 * @param status HTTP error status to answer with, 0 for none ({@code status})
 * @param errorAfter content steps before an error event, -1 for none ({@code error-after})
 * @param truncateAfter content steps before closing the connection, -1 for none ({@code
 *     truncate-after})
 * @param stallAfter content steps before going silent, -1 for none ({@code stall-after})
 * @param crlf CRLF line endings instead of LF ({@code crlf})
 * @param comments SSE comment lines before every event ({@code comments})
 * @param gzip gzip the body when the client accepts it ({@code gzip})
 * @param thinking Anthropic thinking fragments before the answer ({@code thinking})
 * @param pings Anthropic ping events before every delta ({@code pings})
 * @param cacheRead Anthropic {@code cache_read_input_tokens} ({@code cache-read})
 * @param cacheWrite Anthropic {@code cache_creation_input_tokens} ({@code cache-write})
 * @param end how a Responses API answer ends: completed, incomplete or failed ({@code end})
 */
public record Script(
        int chunks,
        int chunkChars,
        Text text,
        long firstDelayMs,
        long delayMs,
        UsageMode usage,
        int tools,
        long cached,
        long reasoning,
        int status,
        int errorAfter,
        int truncateAfter,
        int stallAfter,
        boolean crlf,
        boolean comments,
        boolean gzip,
        int thinking,
        boolean pings,
        long cacheRead,
        long cacheWrite,
        End end) {

    /** The header that carries a script. */
    public static final String HEADER = "X-Sim-Script";

    /** Upper bound of the characters one block may generate, so a typo cannot exhaust memory. */
    static final long MAX_GENERATED_CHARS = 16L * 1024 * 1024;

    /** The script of a request without the header: eight chunks of eight ASCII characters. */
    public static final Script DEFAULT = parse("");

    /** The alphabet of generated text. */
    public enum Text {
        /** Printable ASCII only. */
        ASCII,
        /** A mix of 1-, 2-, 3- and 4-byte UTF-8 characters (a, é, €, 😀). */
        UTF8
    }

    /** How a Responses API answer ends; each status carries the usage spent. */
    public enum End {
        /** {@code response.completed}, status {@code completed}. */
        COMPLETED,
        /** {@code response.incomplete}, status {@code incomplete}, reason max_output_tokens. */
        INCOMPLETE,
        /** {@code response.failed}, status {@code failed}, with an error object. */
        FAILED
    }

    /** Where usage goes in an OpenAI stream. */
    public enum UsageMode {
        /** As OpenAI does: a separate usage chunk only if {@code include_usage} was asked. */
        AUTO,
        /** Always a separate usage chunk with {@code "choices":[]}. */
        SEPARATE,
        /** Usage attached to the last finish-reason chunk. */
        FINISH,
        /** Cumulative usage on every chunk. */
        EVERY,
        /** No usage at all. */
        NEVER
    }

    public Script {
        if (text == null || usage == null || end == null) {
            throw new IllegalArgumentException("text, usage and end must not be null");
        }
        int interruptions =
                (errorAfter >= 0 ? 1 : 0)
                        + (truncateAfter >= 0 ? 1 : 0)
                        + (stallAfter >= 0 ? 1 : 0);
        if (interruptions > 1) {
            throw new IllegalArgumentException(
                    "only one of error-after, truncate-after, stall-after may be set");
        }
        long generated = (long) Math.max(Math.max(chunks, tools), thinking) * chunkChars;
        if (generated > MAX_GENERATED_CHARS) {
            throw new IllegalArgumentException(
                    "chunks, tools or thinking times chunk-chars must not exceed "
                            + MAX_GENERATED_CHARS
                            + " characters, got "
                            + generated);
        }
        // Parameters, not accessors: the fields are assigned only after this body.
        int steps = tools > 0 ? tools : chunks;
        for (int after : new int[] {errorAfter, truncateAfter, stallAfter}) {
            if (after > steps) {
                throw new IllegalArgumentException(
                        "an *-after value ("
                                + after
                                + ") must not exceed the content steps ("
                                + steps
                                + ", from "
                                + (tools > 0 ? "tools" : "chunks")
                                + ")");
            }
        }
    }

    /**
     * Parses an {@code X-Sim-Script} header value; {@code null} or blank gives {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException naming the key when a key is unknown or a value is bad
     */
    public static Script parse(String headerValue) {
        return ScriptParser.parse(headerValue);
    }

    /** Content steps of a complete response: tool fragments if {@code tools > 0}, else chunks. */
    public int contentSteps() {
        return tools > 0 ? tools : chunks;
    }

    /**
     * Rejects a key set for the other API (say {@code thinking} on Chat Completions), so that a
     * test's mistake is loud rather than silently ignored.
     */
    void checkAppliesTo(Api api) {
        boolean messages = api == Api.MESSAGES;
        boolean responses = api == Api.RESPONSES;
        rejectIf(messages && usage != UsageMode.AUTO, "usage", api);
        rejectIf(responses && usage != UsageMode.AUTO && usage != UsageMode.NEVER, "usage", api);
        rejectIf(!responses && end != End.COMPLETED, "end", api);
        boolean legacy = api == Api.COMPLETIONS || api == Api.EMBEDDINGS;
        rejectIf(legacy && tools > 0, "tools", api);
        rejectIf(api == Api.EMBEDDINGS && reasoning > 0, "reasoning", api);
        rejectIf(messages && cached > 0, "cached", api);
        rejectIf(messages && reasoning > 0, "reasoning", api);
        rejectIf(!messages && thinking > 0, "thinking", api);
        rejectIf(!messages && pings, "pings", api);
        rejectIf(!messages && cacheRead > 0, "cache-read", api);
        rejectIf(!messages && cacheWrite > 0, "cache-write", api);
    }

    private static void rejectIf(boolean set, String key, Api api) {
        if (set) {
            throw new IllegalArgumentException(
                    "script key '" + key + "' does not apply to " + api.path());
        }
    }

    /** Content steps after which the stream is interrupted, or -1 if it runs to the end. */
    int interruptAfter() {
        return Math.max(errorAfter, Math.max(truncateAfter, stallAfter));
    }
}
