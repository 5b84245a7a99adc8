package io.streammeter.metering.domain;

/**
 * Tokens guessed from characters for a stream whose usage never arrived. Always reported apart from
 * the upstream's counts and never priced.
 *
 * <p>Heuristic: about four characters per token for prose (prompt, content, reasoning text) and
 * three for tool-call arguments, whose JSON punctuation and identifiers split into more tokens;
 * each part rounded up, so any text is at least one token.
 */
public record UsageEstimate(long promptTokens, long completionTokens) {

    public static final UsageEstimate NONE = new UsageEstimate(0, 0);

    static final int PROSE_CHARS_PER_TOKEN = 4;
    static final int TOOL_ARGUMENT_CHARS_PER_TOKEN = 3;

    public static UsageEstimate of(
            long promptChars, long contentChars, long toolArgumentChars, long reasoningChars) {
        return new UsageEstimate(
                tokens(promptChars, PROSE_CHARS_PER_TOKEN),
                tokens(contentChars, PROSE_CHARS_PER_TOKEN)
                        + tokens(toolArgumentChars, TOOL_ARGUMENT_CHARS_PER_TOKEN)
                        + tokens(reasoningChars, PROSE_CHARS_PER_TOKEN));
    }

    public long total() {
        return promptTokens + completionTokens;
    }

    private static long tokens(long chars, int charsPerToken) {
        return chars <= 0 ? 0 : (chars + charsPerToken - 1) / charsPerToken;
    }
}
