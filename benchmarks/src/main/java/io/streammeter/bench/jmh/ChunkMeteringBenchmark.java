package io.streammeter.bench.jmh;

import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEvent;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.shape.openai.OpenAiChatCompletions;
import io.streammeter.relay.sse.SseEvent;
import io.streammeter.relay.sse.SseParser;
import io.streammeter.schemas.AvroSerde;
import io.streammeter.schemas.EventIds;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's metering work per chunk without any I/O: parse a recorded 32-chunk stream from
 * 1460-byte reads, read each event's usage, fold it, build its {@code StreamEvent} as the recorder
 * does and encode it as the producer will. A floor under the relay's CPU per chunk: everything else
 * it spends goes to HTTP, the sockets and the Kafka client.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkMeteringBenchmark {
    /** Data events of {@code openai-32-chunks}, {@code [DONE]} included. */
    static final int EVENTS = 36;

    private final OpenAiChatCompletions adapter = new OpenAiChatCompletions();
    private final AvroSerde<StreamEvent> serde = AvroSerde.of(StreamEvent.class);
    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private Buffer[] buffers;

    @Setup
    public void setUp() {
        buffers = RecordedStreams.split(RecordedStreams.load("openai-32-chunks"), "mss");
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long meterStream() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder, SseParserBenchmark.MAX_EVENT_BYTES);
        for (Buffer buffer : buffers) {
            parser.handle(buffer);
        }
        return recorder.bytes;
    }

    private final class Recorder implements SseParser.Listener {
        final String streamId = "s_01jd3k6v4q8m2x7h5t9w0c1b";
        final ChunkFacts facts = new ChunkFacts();
        final StreamUsage usage = new StreamUsage();
        long sequence = 1;
        int index;
        long bytes;

        @Override
        public void onEvent(SseEvent event) {
            adapter.readEvent(event, usage, facts);
            usage.add(facts, true);
            if (facts.terminal()) {
                return;
            }
            long seq = sequence++;
            StreamChunk chunk =
                    new StreamChunk(
                            index++,
                            facts.byteLength(),
                            facts.contentChars(),
                            facts.toolArgumentChars(),
                            facts.reasoningChars(),
                            facts.finishReason(),
                            facts.usage() != null,
                            facts.usage(),
                            null);
            StreamEvent envelope =
                    new StreamEvent(
                            EventIds.of(streamId, seq), streamId, seq, now, "relay-bench", chunk);
            bytes += serde.serialize("bench", envelope).length;
        }
    }
}
