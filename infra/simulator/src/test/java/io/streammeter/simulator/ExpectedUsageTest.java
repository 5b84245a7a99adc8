package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpectedUsageTest {

    // "Be brief." is 9 characters, "Say hello to the simulator, please." 35: 3+3 and 3+9 tokens.
    private static final long PROMPT = 18;

    @Test
    void shouldCountPromptTokensPerMessageFromTheirCharacters() {
        String arrayContent =
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                        + "\"text\":\"abcde\"},{\"type\":\"image_url\",\"image_url\":{}}]},"
                        + "{\"role\":\"assistant\",\"content\":null}]}";

        assertEquals(
                PROMPT,
                ExpectedUsage.of(Api.CHAT_COMPLETIONS, Bodies.chat(true, ""), Script.DEFAULT)
                        .promptTokens());
        assertEquals(
                (3 + 2) + 3,
                ExpectedUsage.of(Api.CHAT_COMPLETIONS, arrayContent, Script.DEFAULT)
                        .promptTokens());
        assertEquals(
                PROMPT,
                ExpectedUsage.of(Api.MESSAGES, Bodies.messages(true), Script.DEFAULT)
                        .promptTokens(),
                "the system field counts as a message");
    }

    @Test
    void shouldCountCompletionTokensFromGeneratedCharactersPerChoice() {
        SimUsage usage =
                ExpectedUsage.of(
                        Api.CHAT_COMPLETIONS,
                        Bodies.chat(true, "\"n\":2"),
                        Script.parse("chunks=5;chunk-chars=3;reasoning=10;cached=4"));

        assertEquals(
                new SimUsage(PROMPT, 10 + 2 * 4, PROMPT + 18, 4, 10, 0),
                usage,
                "ceil(15/4) = 4 per choice");
    }

    @Test
    void shouldCountToolArgumentCharactersIncludingTheirJson() {
        SimUsage usage =
                ExpectedUsage.of(
                        Api.CHAT_COMPLETIONS,
                        Bodies.chat(true, ""),
                        Script.parse("tools=3;chunk-chars=5"));

        assertEquals(
                7,
                usage.completionTokens(),
                "{\"arg\":\"\"} is 10 characters, plus 15: ceil(25/4)");
    }

    @Test
    void shouldMapAnthropicUsageWithCacheOutsideInputTokens() {
        SimUsage usage =
                ExpectedUsage.of(
                        Api.MESSAGES,
                        Bodies.messages(true),
                        Script.parse("thinking=2;cache-read=100;cache-write=50"));

        assertEquals(new SimUsage(PROMPT, 4 + 16, PROMPT + 100 + 50 + 20, 100, 0, 50), usage);
    }

    @Test
    void shouldReportNothingWhereTheScriptSendsNoUsage() {
        String plain = Bodies.chat(true, "");

        assertEquals(
                Optional.empty(),
                ExpectedUsage.reported(Api.CHAT_COMPLETIONS, plain, Script.DEFAULT),
                "auto, not asked");
        assertEquals(
                Optional.empty(),
                ExpectedUsage.reported(
                        Api.CHAT_COMPLETIONS, Bodies.chatWithUsage(), Script.parse("usage=never")));
        assertEquals(
                Optional.empty(),
                ExpectedUsage.reported(Api.CHAT_COMPLETIONS, plain, Script.parse("status=500")));
        assertEquals(
                Optional.empty(),
                ExpectedUsage.reported(
                        Api.CHAT_COMPLETIONS,
                        plain,
                        Script.parse("usage=finish;truncate-after=2")));
        assertEquals(
                Optional.empty(),
                ExpectedUsage.reported(
                        Api.MESSAGES, Bodies.messages(false), Script.parse("stall-after=1")));
    }

    @Test
    void shouldReportUsageSoFarWhenEveryIsInterrupted() {
        Optional<SimUsage> usage =
                ExpectedUsage.reported(
                        Api.CHAT_COMPLETIONS,
                        Bodies.chat(true, ""),
                        Script.parse("usage=every;stall-after=3"));

        assertEquals(
                Optional.of(new SimUsage(PROMPT, 6, PROMPT + 6, 0, 0, 0)),
                usage,
                "24 characters so far");
    }

    @Test
    void shouldReportMessageStartUsageWhenAnAnthropicStreamIsInterrupted() {
        Optional<SimUsage> usage =
                ExpectedUsage.reported(
                        Api.MESSAGES,
                        Bodies.messages(true),
                        Script.parse("truncate-after=1;cache-read=5"));

        assertEquals(Optional.of(new SimUsage(PROMPT, 1, PROMPT + 5 + 1, 5, 0, 0)), usage);
    }
}
