package io.streammeter.relay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.shape.openai.OpenAiChatCompletions;
import io.streammeter.relay.sse.RecordedStreams;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageChunkFilterTest {
    private final OpenAiChatCompletions adapter = new OpenAiChatCompletions();

    /** What the client received and what was metered, for one way of cutting the input. */
    private record Run(String client, List<String> metered, int writes) {}

    private Run run(byte[] input, int... cuts) {
        Buffer client = Buffer.buffer();
        List<String> metered = new ArrayList<>();
        StreamUsage usage = new StreamUsage();
        ChunkFacts chunk = new ChunkFacts();
        int[] writes = {0};
        UsageChunkFilter filter =
                new UsageChunkFilter(
                        adapter,
                        event -> {
                            metered.add(event.dataAsString());
                            adapter.readEvent(event, usage, chunk);
                            return chunk;
                        },
                        data -> {
                            writes[0]++;
                            client.appendBuffer(data);
                        },
                        1 << 20);
        int from = 0;
        for (int cut : cuts) {
            filter.handle(Buffer.buffer().appendBytes(input, from, cut - from));
            from = cut;
        }
        filter.handle(Buffer.buffer().appendBytes(input, from, input.length - from));
        filter.finish();
        return new Run(client.toString(StandardCharsets.UTF_8), metered, writes[0]);
    }

    /** The input without its usage-only event: what a client that did not ask for usage sees. */
    private static String withoutUsageChunk(String input, String newline) {
        int choices = input.indexOf("\"choices\":[],");
        int start = input.lastIndexOf("data: ", choices);
        int end = input.indexOf(newline + newline, choices) + 2 * newline.length();
        return input.substring(0, start) + input.substring(end);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "openai-separate-usage.sse",
                "openai-usage-null.sse",
                "openai-tool-calls.sse",
                "openai-n2.sse",
                "openai-reasoning-cached-crlf.sse"
            })
    void shouldRemoveOnlyTheUsageChunkWhereverTheInputIsCut(String name) {
        byte[] input = RecordedStreams.bytes(name);
        String text = new String(input, StandardCharsets.UTF_8);
        String expected = withoutUsageChunk(text, text.contains("\r\n") ? "\r\n" : "\n");
        Run whole = run(input);
        assertEquals(expected, whole.client(), name);

        for (int cut = 0; cut <= input.length; cut++) {
            Run split = run(input, cut);
            assertEquals(expected, split.client(), name + " cut at " + cut);
            assertEquals(whole.metered(), split.metered(), name + " metered, cut at " + cut);
        }
        Random random = new Random(name.hashCode());
        for (int round = 0; round < 100; round++) {
            int[] cuts = random.ints(6, 0, input.length + 1).sorted().toArray();
            assertEquals(
                    expected,
                    run(input, cuts).client(),
                    name + " cut at " + java.util.Arrays.toString(cuts));
        }
    }

    @Test
    void shouldRemoveTheUsageChunkOfAStreamWithCarriageReturnsOnly() {
        String text =
                new String(
                                RecordedStreams.bytes("openai-separate-usage.sse"),
                                StandardCharsets.UTF_8)
                        .replace("\n", "\r");
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        String expected = withoutUsageChunk(text, "\r");

        for (int cut = 0; cut <= input.length; cut++) {
            assertEquals(expected, run(input, cut).client(), "cut at " + cut);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "openai-usage-on-finish.sse",
                "openai-usage-every-chunk.sse",
                "cr-line-endings.sse",
                "openai-error-event.sse",
                "whatwg-fields.sse",
                "bom-utf8.sse"
            })
    void shouldPassStreamsWithoutAUsageOnlyChunkThroughUnchanged(String name) {
        byte[] input = RecordedStreams.bytes(name);
        String text = new String(input, StandardCharsets.UTF_8);

        for (int cut = 0; cut <= input.length; cut++) {
            assertEquals(text, run(input, cut).client(), name + " cut at " + cut);
        }
    }

    @Test
    void shouldWriteWholeEventsAtOnceWithoutHoldingThemBack() {
        byte[] input = RecordedStreams.bytes("openai-separate-usage.sse");

        Run run = run(input);

        assertEquals(
                2, run.writes(), "one write before the usage chunk, one after it: " + run.writes());
    }

    @Test
    void shouldForwardAContentChunkAsSoonAsItsChoicesShowContent() {
        String event =
                new String(
                                RecordedStreams.bytes("openai-separate-usage.sse"),
                                StandardCharsets.UTF_8)
                        .split("\n\n")[1];
        int decided = event.indexOf("[{") + 2;
        byte[] input = event.getBytes(StandardCharsets.UTF_8);
        Buffer client = Buffer.buffer();
        ChunkFacts chunk = new ChunkFacts();
        UsageChunkFilter filter =
                new UsageChunkFilter(adapter, e -> chunk, client::appendBuffer, 1 << 20);

        filter.handle(Buffer.buffer().appendBytes(input, 0, decided - 1));
        assertEquals(0, client.length(), "still undecided: held");
        filter.handle(Buffer.buffer().appendBytes(input, decided - 1, 1));
        assertEquals(decided, client.length(), "decided: everything so far is written");
        filter.handle(Buffer.buffer().appendBytes(input, decided, input.length - decided));
        assertTrue(client.toString(StandardCharsets.UTF_8).equals(event), "then the rest flows");
    }
}
