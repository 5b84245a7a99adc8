package io.streammeter.bench.jmh;

import io.streammeter.relay.sse.SseEvent;
import io.streammeter.relay.sse.SseParser;
import io.vertx.core.buffer.Buffer;
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
 * The relay's SSE parser over whole recorded streams, one new parser per stream as in the relay,
 * fed the buffers a socket would deliver. One operation is one stream; bin/bench turns ops/s into
 * MB/s with the stream's size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SseParserBenchmark {
    /** The relay's default {@code metering.max-event-bytes}. */
    static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

    @Param({
        "openai-32-chunks",
        "openai-32-chunks-crlf",
        "openai-32-chunks-utf8-usage-every",
        "openai-32-tool-fragments-comments"
    })
    public String stream;

    @Param({"whole", "mss", "7"})
    public String reads;

    private Buffer[] buffers;
    private final Sink sink = new Sink();

    @Setup
    public void setUp() {
        buffers = RecordedStreams.split(RecordedStreams.load(stream), reads);
    }

    @Benchmark
    public long parse() {
        SseParser parser = new SseParser(sink, MAX_EVENT_BYTES);
        for (Buffer buffer : buffers) {
            parser.handle(buffer);
        }
        return sink.bytes;
    }

    /** Touches every event so none of the work can be dropped. */
    static final class Sink implements SseParser.Listener {
        long bytes;

        @Override
        public void onEvent(SseEvent event) {
            bytes += event.dataLength() + event.data()[0];
        }
    }
}
