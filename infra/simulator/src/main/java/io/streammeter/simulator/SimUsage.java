package io.streammeter.simulator;

/**
 * Token usage as the simulator reports it on the wire, in one shape for both APIs.
 *
 * <p>OpenAI: {@code promptTokens} = {@code prompt_tokens} (includes cached), {@code
 * completionTokens} = {@code completion_tokens} (includes reasoning), {@code totalTokens} = {@code
 * total_tokens}, {@code cachedTokens} = {@code prompt_tokens_details.cached_tokens}, {@code
 * reasoningTokens} = {@code completion_tokens_details.reasoning_tokens}, {@code
 * cacheCreationTokens} = 0.
 *
 * <p>Anthropic: {@code promptTokens} = {@code input_tokens} (excludes cache reads and writes),
 * {@code completionTokens} = the final cumulative {@code output_tokens}, {@code cachedTokens} =
 * {@code cache_read_input_tokens}, {@code cacheCreationTokens} = {@code
 * cache_creation_input_tokens}, {@code reasoningTokens} = 0 (thinking is part of output), and
 * {@code totalTokens} = input + cache read + cache creation + output, which is not on the wire.
 */
public record SimUsage(
        long promptTokens,
        long completionTokens,
        long totalTokens,
        long cachedTokens,
        long reasoningTokens,
        long cacheCreationTokens) {

    static SimUsage openAi(long prompt, long completion, long cached, long reasoning) {
        return new SimUsage(prompt, completion, prompt + completion, cached, reasoning, 0);
    }

    static SimUsage anthropic(long input, long output, long cacheRead, long cacheWrite) {
        return new SimUsage(
                input, output, input + cacheRead + cacheWrite + output, cacheRead, 0, cacheWrite);
    }
}
