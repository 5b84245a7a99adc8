package io.streammeter.bench.jmh;

import io.streammeter.relay.spool.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the relay's spool adds per event, off the event loop: the writer appends a batch of encoded
 * events (one write call per batch), the sender reads them back (one read call per 256 KiB,
 * checksum, copy) and acknowledges them (segments deleted as they empty). {@code fsync=batch}
 * forces the device after every batch, as {@code spool.fsync=always} does; {@code never} leaves it
 * to the OS ({@code interval} adds one force per interval to that). Events of 200 bytes, about a
 * chunk event without raw content.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpoolAppendBenchmark {
    static final int BATCH = 256;

    @Param({"never", "batch"})
    public String fsync;

    private Path dir;
    private Spool spool;
    private final List<byte[]> batch = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("target"), "spool-bench-");
        spool = Spool.open(dir, 8L << 30, 64L << 20);
        for (int i = 0; i < BATCH; i++) {
            batch.add(new byte[200]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long appendReadAcknowledge() throws IOException {
        long first = spool.append(System.currentTimeMillis(), batch);
        if (fsync.equals("batch")) {
            spool.force();
        }
        Spool.Batch read = spool.read(first, BATCH, Long.MAX_VALUE);
        spool.acknowledge(read.next());
        return read.entries().size();
    }
}
