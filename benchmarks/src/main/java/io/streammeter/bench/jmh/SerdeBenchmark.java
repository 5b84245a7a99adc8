package io.streammeter.bench.jmh;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.Usage;
import io.streammeter.schemas.AvroSerde;
import io.streammeter.schemas.EventIds;
import java.time.Instant;
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

/** Encoding and decoding one stream event, the per-chunk cost of publishing and of metering. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerdeBenchmark {
    @Param({"chunk", "ended"})
    public String payload;

    private final AvroSerde<StreamEvent> serde = AvroSerde.of(StreamEvent.class);
    private StreamEvent event;
    private byte[] encoded;

    @Setup
    public void setUp() {
        Object body =
                payload.equals("chunk")
                        ? StreamChunk.newBuilder()
                                .setChunkIndex(17)
                                .setByteLength(182)
                                .setContentChars(6)
                                .setToolArgumentChars(0)
                                .setCarriesUsage(false)
                                .build()
                        : StreamEnded.newBuilder()
                                .setOutcome(Outcome.COMPLETED)
                                .setUsage(new Usage(1200L, 350L, 1550L, 1024L, 64L, null, false))
                                .setModelReported("gpt-4o-mini-2024-07-18")
                                .setFinishReason("stop")
                                .setChunkCount(33)
                                .setContentChars(1400)
                                .setTimeToFirstChunkMillis(212L)
                                .setDurationMillis(3400)
                                .setUpstreamStatus(200)
                                .build();
        event =
                StreamEvent.newBuilder()
                        .setEventId(EventIds.of("s_01jd3k6v4q8m2x7h5t9w0c1b", 18))
                        .setStreamId("s_01jd3k6v4q8m2x7h5t9w0c1b")
                        .setSequence(18)
                        .setEventTime(Instant.parse("2026-11-22T10:00:00Z"))
                        .setRelayInstanceId("relay-7f3c")
                        .setPayload(body)
                        .build();
        encoded = serde.serialize("bench", event);
    }

    @Benchmark
    public byte[] serialize() {
        return serde.serialize("bench", event);
    }

    /** Encoded size of the event, printed by bin/bench next to the timings. */
    public int encodedBytes() {
        return encoded.length;
    }

    @Benchmark
    public StreamEvent deserialize() {
        return serde.deserialize("bench", encoded);
    }
}
