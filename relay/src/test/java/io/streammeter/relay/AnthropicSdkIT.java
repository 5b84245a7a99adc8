package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.Usage;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official Anthropic Java SDK, through the relay and directly: the same text, tool input and
 * usage, and the relay's metered usage equal to what the SDK put together.
 */
@ExtendWith(KafkaExtension.class)
class AnthropicSdkIT {
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "anthropic-sdk");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** A message the SDK put together from a stream, and the relay's stream id. */
    private record Streamed(String streamId, Message message) {}

    private static AnthropicClient client(String baseUrl, String script) {
        return AnthropicOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(Harness.KEY)
                .putHeader(Script.HEADER, script)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static Streamed stream(String baseUrl, String script, MessageCreateParams params) {
        AnthropicClient client = client(baseUrl, script);
        try {
            HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw =
                    client.messages().withRawResponse().createStreaming(params);
            String streamId = raw.headers().values("X-Stream-Id").stream().findFirst().orElse(null);
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> events = raw.parse()) {
                events.stream().forEach(accumulator::accumulate);
            }
            return new Streamed(streamId, accumulator.message());
        } finally {
            client.close();
        }
    }

    private static MessageCreateParams.Builder params() {
        return MessageCreateParams.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(1024)
                .addUserMessage("Tell me something about relays.");
    }

    private static String text(Message message) {
        return message.content().stream()
                .flatMap(block -> block.text().stream())
                .map(TextBlock::text)
                .collect(Collectors.joining());
    }

    /** The relay's usage is the SDK's, mapped: prompt = input + cache read + cache write. */
    private static void assertSameUsage(
            com.anthropic.models.messages.Usage sdk, Usage metered, String context) {
        long read = sdk.cacheReadInputTokens().orElse(0L);
        long write = sdk.cacheCreationInputTokens().orElse(0L);
        assertEquals(sdk.inputTokens() + read + write, metered.getPromptTokens(), context);
        assertEquals(sdk.outputTokens(), metered.getCompletionTokens(), context);
        assertEquals(
                sdk.inputTokens() + read + write + sdk.outputTokens(),
                metered.getTotalTokens(),
                context);
        assertEquals(read, metered.getCachedPromptTokens(), context);
        assertEquals(write, metered.getCacheCreationPromptTokens(), context);
    }

    @Test
    void shouldStreamTextAndUsageThroughTheRelayAsTheSdkSeesThemDirectly() {
        String script = "chunks=12;text=utf8;thinking=2;pings=true;cache-read=64;cache-write=16";

        Streamed relayed = stream(harness.url(""), script, params().build());
        Streamed direct = stream(harness.simulator().baseUrl(), script, params().build());

        assertEquals(text(direct.message()), text(relayed.message()), "reconstructed text");
        assertEquals(
                12 * 8,
                text(relayed.message()).codePointCount(0, text(relayed.message()).length()));
        assertEquals(direct.message().usage(), relayed.message().usage(), "the SDK's usage");
        assertEquals(16, relayed.message().usage().cacheCreationInputTokens().orElseThrow());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        assertSameUsage(relayed.message().usage(), stream.ended().getUsage(), stream.toString());
        assertEquals(12 * 8, stream.ended().getContentChars(), stream.toString());
        assertEquals(2 * 8, stream.ended().getReasoningChars(), stream.toString());
        assertEquals("end_turn", stream.ended().getFinishReason());
    }

    @Test
    void shouldReconstructToolInputThroughTheRelay() {
        String script = "tools=3";
        MessageCreateParams request =
                params().addTool(
                                Tool.builder()
                                        .name("get_weather")
                                        .inputSchema(
                                                Tool.InputSchema.builder()
                                                        .properties(
                                                                Tool.InputSchema.Properties
                                                                        .builder()
                                                                        .putAdditionalProperty(
                                                                                "arg",
                                                                                JsonValue.from(
                                                                                        Map.of(
                                                                                                "type",
                                                                                                "string")))
                                                                        .build())
                                                        .build())
                                        .build())
                        .build();

        Streamed relayed = stream(harness.url(""), script, request);
        Streamed direct = stream(harness.simulator().baseUrl(), script, request);

        ToolUseBlock tool =
                relayed.message().content().stream()
                        .flatMap(block -> block.toolUse().stream())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(relayed.message().toString()));
        ToolUseBlock directTool =
                direct.message().content().stream()
                        .flatMap(block -> block.toolUse().stream())
                        .findFirst()
                        .orElseThrow();
        assertEquals("get_weather", tool.name());
        assertEquals(directTool._input(), tool._input(), "reconstructed tool input");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = tool._input().convert(Map.class);
        assertEquals(24, String.valueOf(input.get("arg")).length(), input.toString());
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertSameUsage(relayed.message().usage(), stream.ended().getUsage(), stream.toString());
        assertEquals(
                "{\"arg\":\"\"}".length() + 24,
                stream.ended().getToolArgumentChars(),
                stream.toString());
        assertEquals("tool_use", stream.ended().getFinishReason());
    }

    @Test
    void shouldAnswerANonStreamedSdkCallWithItsUsage() {
        AnthropicClient client = client(harness.url(""), "chunks=5;cache-read=10");
        try {
            HttpResponseFor<Message> raw =
                    client.messages().withRawResponse().create(params().build());
            String streamId = raw.headers().values("X-Stream-Id").get(0);
            Message message = raw.parse();

            RecordedStream stream = harness.recorded(streamId);
            assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
            assertSameUsage(message.usage(), stream.ended().getUsage(), stream.toString());
            assertEquals(
                    message.content().stream()
                            .flatMap(block -> block.text().stream())
                            .mapToInt(t -> t.text().length())
                            .sum(),
                    stream.ended().getContentChars());
            assertTrue(message.content().stream().allMatch(ContentBlock::isText));
        } finally {
            client.close();
        }
    }

    @Test
    void shouldSurfaceTheRelaysOwnErrorEventAsAnSdkError() {
        Relay impatient = harness.startRelay(Map.of("upstream.idle-timeout", "300ms"));
        try {
            SseException error =
                    assertThrows(
                            SseException.class,
                            () ->
                                    stream(
                                            Harness.url(impatient, ""),
                                            "chunks=6;stall-after=2",
                                            params().build()));

            assertTrue(
                    error.getMessage().contains("The upstream sent nothing for 300 ms."),
                    error.getMessage());
        } finally {
            Harness.await(impatient.shutdown());
        }
    }
}
