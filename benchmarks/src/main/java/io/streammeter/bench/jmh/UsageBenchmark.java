package io.streammeter.bench.jmh;

import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.shape.openai.OpenAiChatCompletions;
import io.streammeter.relay.sse.SseEvent;
import io.streammeter.relay.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Usage extraction for one data event of each kind a stream carries: the OpenAI adapter reading it
 * and the stream's fold taking it in, as the relay does for every chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UsageBenchmark {
    /** Which event of a recorded stream, by kind. */
    @Param({"content", "finish", "usage", "usage-every", "tool-fragment", "done"})
    public String chunk;

    private final OpenAiChatCompletions adapter = new OpenAiChatCompletions();
    private final ChunkFacts out = new ChunkFacts();
    private StreamUsage soFar;
    private SseEvent event;

    @Setup
    public void setUp() {
        List<SseEvent> events =
                switch (chunk) {
                    case "usage-every" -> events("openai-32-chunks-utf8-usage-every");
                    case "tool-fragment" -> events("openai-32-tool-fragments-comments");
                    default -> events("openai-32-chunks");
                };
        int n = events.size();
        event =
                switch (chunk) {
                    case "finish" -> events.get(n - 3);
                    case "usage" -> events.get(n - 2);
                    case "done" -> events.get(n - 1);
                    default -> events.get(5);
                };
        // The stream has already named its model, as every chunk after the first finds it.
        soFar = new StreamUsage();
        adapter.readEvent(events.get(0), soFar, out);
        soFar.add(out, true);
    }

    @Benchmark
    public int readEvent() {
        adapter.readEvent(event, soFar, out);
        soFar.add(out, true);
        return out.contentChars();
    }

    /**
     * Every event of a recorded stream, each captured by a parser of its own (the parser reuses one
     * event object, so each must keep its own).
     */
    static List<SseEvent> events(String stream) {
        byte[] bytes = RecordedStreams.load(stream);
        List<SseEvent> events = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\n' || i == bytes.length - 1) {
                SseParser parser = new SseParser(new Capture(events), 1 << 22);
                parser.handle(Buffer.buffer().appendBytes(bytes, start, i + 1 - start));
                start = i + 1;
            }
        }
        return events;
    }

    private record Capture(List<SseEvent> events) implements SseParser.Listener {
        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }
    }
}
