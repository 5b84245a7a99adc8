package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.simulator.OpenAiStream.Kind;
import io.streammeter.simulator.StreamPlan.Ending;
import io.streammeter.simulator.StreamPlan.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPlanTest {

    private static final SimRequest TWO_CHOICES =
            SimRequest.of(Api.CHAT_COMPLETIONS, SimRequest.json(Bodies.chat(true, "\"n\":2")), 1);

    @Test
    void shouldPlanACompleteStreamAsRunsOfEachKind() {
        StreamPlan<Kind> plan =
                new OpenAiStream(TWO_CHOICES, Script.parse("chunks=5;usage=separate")).plan();

        assertEquals(
                List.of(
                        new Run<>(Kind.ROLE, 2, 0, false),
                        new Run<>(Kind.CONTENT, 10, 2, true),
                        new Run<>(Kind.FINISH, 2, 0, false),
                        new Run<>(Kind.USAGE, 1, 0, false),
                        new Run<>(Kind.DONE, 1, 0, false)),
                plan.runs());
        assertEquals(Ending.END, plan.ending());
        assertEquals(5, plan.totalSteps());
    }

    @Test
    void shouldCutAfterTheScriptedContentStepsAndEndWithTheError() {
        StreamPlan<Kind> plan =
                new OpenAiStream(TWO_CHOICES, Script.parse("chunks=5;error-after=3")).plan();

        assertEquals(
                List.of(
                        new Run<>(Kind.ROLE, 2, 0, false),
                        new Run<>(Kind.CONTENT, 6, 2, true),
                        new Run<>(Kind.ERROR, 1, 0, false)),
                plan.runs());
        assertEquals(Ending.END, plan.ending());
        assertEquals(5, plan.totalSteps(), "delays stay those of the complete stream");
    }

    @Test
    void shouldCutBeforeAnyContentWhenTruncatedAfterZero() {
        StreamPlan<AnthropicStream.Kind> plan =
                new AnthropicStream(
                                SimRequest.of(
                                        Api.MESSAGES, SimRequest.json(Bodies.messages(true)), 1),
                                Script.parse("thinking=2;truncate-after=0"))
                        .plan();

        assertEquals(
                List.of(
                        AnthropicStream.Kind.MESSAGE_START,
                        AnthropicStream.Kind.THINKING_START,
                        AnthropicStream.Kind.PING,
                        AnthropicStream.Kind.THINKING,
                        AnthropicStream.Kind.SIGNATURE,
                        AnthropicStream.Kind.THINKING_STOP,
                        AnthropicStream.Kind.BLOCK_START),
                plan.runs().stream().map(Run::kind).toList());
        assertEquals(Ending.TRUNCATE, plan.ending());
    }
}
