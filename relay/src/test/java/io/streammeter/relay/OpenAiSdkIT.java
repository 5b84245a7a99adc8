package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.Usage;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official OpenAI Java SDK, through the relay and directly: same text, tool calls and usage.
 */
@ExtendWith(KafkaExtension.class)
class OpenAiSdkIT {
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "openai-sdk");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** What an SDK client put together from one stream. */
    private record Reconstructed(
            String streamId,
            String text,
            Map<Long, String> toolArguments,
            Map<Long, String> toolNames,
            Optional<CompletionUsage> usage,
            int usageChunks) {}

    private static OpenAIClient client(String baseUrl, String script) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl + "/v1")
                .apiKey(Harness.KEY)
                .putHeader(Script.HEADER, script)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static Reconstructed stream(
            String baseUrl, String script, ChatCompletionCreateParams params) {
        OpenAIClient client = client(baseUrl, script);
        try {
            HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
                    client.chat().completions().withRawResponse().createStreaming(params);
            String streamId = raw.headers().values("X-Stream-Id").stream().findFirst().orElse(null);
            StringBuilder text = new StringBuilder();
            Map<Long, String> arguments = new TreeMap<>();
            Map<Long, String> names = new TreeMap<>();
            Optional<CompletionUsage> usage = Optional.empty();
            int usageChunks = 0;
            try (StreamResponse<ChatCompletionChunk> chunks = raw.parse()) {
                for (ChatCompletionChunk chunk :
                        (Iterable<ChatCompletionChunk>) chunks.stream()::iterator) {
                    if (chunk.usage().isPresent()) {
                        usage = chunk.usage();
                        usageChunks++;
                    }
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        choice.delta().content().ifPresent(text::append);
                        choice.delta()
                                .toolCalls()
                                .ifPresent(
                                        calls ->
                                                calls.forEach(
                                                        call ->
                                                                call.function()
                                                                        .ifPresent(
                                                                                f -> {
                                                                                    f.name()
                                                                                            .ifPresent(
                                                                                                    n ->
                                                                                                            names
                                                                                                                    .put(
                                                                                                                            call
                                                                                                                                    .index(),
                                                                                                                            n));
                                                                                    f.arguments()
                                                                                            .ifPresent(
                                                                                                    a ->
                                                                                                            arguments
                                                                                                                    .merge(
                                                                                                                            call
                                                                                                                                    .index(),
                                                                                                                            a,
                                                                                                                            String
                                                                                                                                    ::concat));
                                                                                })));
                    }
                }
            }
            return new Reconstructed(
                    streamId, text.toString(), arguments, names, usage, usageChunks);
        } finally {
            client.close();
        }
    }

    private static ChatCompletionCreateParams.Builder params() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Tell me something about relays.");
    }

    private static void assertSameUsage(CompletionUsage expected, Usage actual, String context) {
        assertEquals(expected.promptTokens(), actual.getPromptTokens(), context);
        assertEquals(expected.completionTokens(), actual.getCompletionTokens(), context);
        assertEquals(expected.totalTokens(), actual.getTotalTokens(), context);
    }

    @Test
    void shouldStreamTextToAnSdkThatDidNotAskForUsageAndStillMeterIt() {
        String script = "chunks=12;text=utf8";
        ChatCompletionCreateParams withUsage =
                params().streamOptions(
                                ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build();

        Reconstructed relayed = stream(harness.url(""), script, params().build());
        Reconstructed direct = stream(harness.simulator().baseUrl(), script, withUsage);

        assertEquals(direct.text(), relayed.text(), "reconstructed text");
        assertTrue(relayed.text().startsWith("Grüße, café"), relayed.text());
        assertEquals(0, relayed.usageChunks(), "the SDK sees no usage it did not ask for");
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        assertSameUsage(direct.usage().orElseThrow(), stream.ended().getUsage(), stream.toString());
        assertEquals(
                relayed.text().codePointCount(0, relayed.text().length()),
                stream.ended().getContentChars());
    }

    @Test
    void shouldDeliverToolCallsAndUsageToAnSdkThatAskedForUsage() throws Exception {
        String script = "tools=4;chunk-chars=6";
        ChatCompletionCreateParams request =
                params().streamOptions(
                                ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .addTool(
                                ChatCompletionFunctionTool.builder()
                                        .function(
                                                FunctionDefinition.builder()
                                                        .name("get_weather")
                                                        .parameters(
                                                                FunctionParameters.builder()
                                                                        .putAdditionalProperty(
                                                                                "type",
                                                                                JsonValue.from(
                                                                                        "object"))
                                                                        .build())
                                                        .build())
                                        .build())
                        .build();

        Reconstructed relayed = stream(harness.url(""), script, request);
        Reconstructed direct = stream(harness.simulator().baseUrl(), script, request);

        assertEquals(Map.of(0L, "get_weather"), relayed.toolNames(), relayed.toString());
        assertEquals(
                direct.toolArguments(), relayed.toolArguments(), "reconstructed tool arguments");
        String arguments = relayed.toolArguments().get(0L);
        assertEquals(
                24,
                new ObjectMapper().readTree(arguments).path("arg").asText().length(),
                arguments);
        CompletionUsage usage = relayed.usage().orElseThrow();
        assertEquals(direct.usage().orElseThrow().totalTokens(), usage.totalTokens());
        assertEquals(1, relayed.usageChunks(), "the usage chunk it asked for");
        RecordedStream stream = harness.recorded(relayed.streamId());
        assertSameUsage(usage, stream.ended().getUsage(), stream.toString());
        assertEquals(arguments.length(), stream.ended().getToolArgumentChars(), stream.toString());
        assertEquals("tool_calls", stream.ended().getFinishReason());
    }

    @Test
    void shouldAnswerANonStreamedSdkCallWithItsUsage() {
        OpenAIClient client = client(harness.url(""), "chunks=5");
        try {
            HttpResponseFor<ChatCompletion> raw =
                    client.chat().completions().withRawResponse().create(params().build());
            String streamId = raw.headers().values("X-Stream-Id").get(0);
            ChatCompletion completion = raw.parse();

            RecordedStream stream = harness.recorded(streamId);
            assertEquals(Outcome.COMPLETED, stream.outcome());
            assertSameUsage(
                    completion.usage().orElseThrow(), stream.ended().getUsage(), stream.toString());
            assertEquals(
                    completion.choices().get(0).message().content().orElseThrow().length(),
                    stream.ended().getContentChars());
        } finally {
            client.close();
        }
    }

    /** What an SDK client put together from one Responses API stream. */
    private record ResponsesRead(
            String streamId,
            String text,
            String functionName,
            String arguments,
            long inputTokens,
            long cachedTokens,
            long outputTokens,
            long reasoningTokens,
            long totalTokens) {}

    private static ResponsesRead streamResponse(String baseUrl, String script) {
        OpenAIClient client = client(baseUrl, script);
        try {
            ResponseCreateParams params =
                    ResponseCreateParams.builder()
                            .model("gpt-4o-mini")
                            .input("What is the weather in Paris?")
                            .addTool(
                                    FunctionTool.builder()
                                            .name("get_weather")
                                            .strict(false)
                                            .parameters(
                                                    FunctionTool.Parameters.builder()
                                                            .putAdditionalProperty(
                                                                    "type",
                                                                    JsonValue.from("object"))
                                                            .build())
                                            .build())
                            .build();
            HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw =
                    client.responses().withRawResponse().createStreaming(params);
            String streamId = raw.headers().values("X-Stream-Id").stream().findFirst().orElse(null);
            StringBuilder text = new StringBuilder();
            StringBuilder arguments = new StringBuilder();
            String name = null;
            ResponseUsage usage = null;
            try (StreamResponse<ResponseStreamEvent> events = raw.parse()) {
                for (ResponseStreamEvent event :
                        (Iterable<ResponseStreamEvent>) events.stream()::iterator) {
                    event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                    event.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta()));
                    if (event.outputItemAdded().isPresent()
                            && event.outputItemAdded().get().item().functionCall().isPresent()) {
                        name = event.outputItemAdded().get().item().functionCall().get().name();
                    }
                    if (event.completed().isPresent()) {
                        usage = event.completed().get().response().usage().orElseThrow();
                    }
                }
            }
            assertTrue(usage != null, "a response.completed event with usage");
            return new ResponsesRead(
                    streamId,
                    text.toString(),
                    name,
                    arguments.toString(),
                    usage.inputTokens(),
                    usage.inputTokensDetails().cachedTokens(),
                    usage.outputTokens(),
                    usage.outputTokensDetails().reasoningTokens(),
                    usage.totalTokens());
        } finally {
            client.close();
        }
    }

    @Test
    void shouldStreamTheResponsesApiThroughTheRelayAsTheSdkReadsItDirectly() {
        String text = "chunks=5;cached=3;reasoning=2";
        String call = "chunks=2;tools=3";

        ResponsesRead relayedText = streamResponse(harness.url(""), text);
        ResponsesRead directText = streamResponse(harness.simulator().baseUrl(), text);
        ResponsesRead relayedCall = streamResponse(harness.url(""), call);
        ResponsesRead directCall = streamResponse(harness.simulator().baseUrl(), call);

        assertEquals(40, relayedText.text().length(), relayedText.toString());
        assertEquals(directText.text(), relayedText.text());
        assertEquals("get_weather", relayedCall.functionName());
        assertEquals(directCall.arguments(), relayedCall.arguments());
        assertTrue(relayedCall.arguments().startsWith("{\"arg\":"), relayedCall.toString());
        assertEquals(3, relayedText.cachedTokens());
        assertEquals(2, relayedText.reasoningTokens());
        for (ResponsesRead read : new ResponsesRead[] {relayedText, relayedCall}) {
            RecordedStream stream = harness.recorded(read.streamId());
            assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
            assertEquals(
                    new Usage(
                            read.inputTokens(),
                            read.outputTokens(),
                            read.totalTokens(),
                            read.cachedTokens(),
                            read.reasoningTokens(),
                            null,
                            false),
                    stream.ended().getUsage(),
                    "the line item's usage is what the SDK read: " + stream);
        }
    }
}
