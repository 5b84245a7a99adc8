package io.streammeter.relay.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool at the byte level: what survives a crash, a damaged file, a full disk, a restart. */
class SpoolTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long MiB = 1024 * 1024;

    @TempDir Path dir;

    @Test
    void shouldReadBackRecordsInOrderAcrossSegments() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, 256)) {
            for (int i = 0; i < 50; i++) {
                assertEquals(i, spool.append(T0 + i, List.of(record(i))));
            }
            assertTrue(segmentFiles().size() > 3, "small segments roll: " + segmentFiles());

            List<Spool.Entry> read = readAll(spool, 0);

            assertEquals(java.util.stream.LongStream.range(0, 50).boxed().toList(), offsets(read));
            assertArrayEquals(record(17), read.get(17).payload());
            assertEquals(T0 + 17, read.get(17).appendMillis());
        }
    }

    @Test
    void shouldTruncateATornLastRecordWhenOpened() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            spool.append(T0, List.of(record(0), record(1), record(2)));
        }
        Path segment = segmentFiles().get(0);
        long size = Files.size(segment);
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.truncate(size - 3); // the crash hit mid-record
        }

        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            assertEquals(2, spool.end(), "the torn record is gone");
            assertTrue(spool.tornBytes() > 0);
            assertEquals(2, spool.append(T0, List.of(record(9))), "appending goes on after it");
            assertEquals(List.of(0L, 1L, 2L), offsets(readAll(spool, 0)));
            assertArrayEquals(record(9), readAll(spool, 0).get(2).payload());
        }
    }

    @Test
    void shouldTruncateALastRecordWithAZeroFilledTailWhenOpened() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            spool.append(T0, List.of(record(0), record(1)));
        }
        Path segment = segmentFiles().get(0);
        long size = Files.size(segment);
        overwrite(segment, size - 4, new byte[4]); // length written, payload never reached disk

        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            assertEquals(1, spool.end());
            assertEquals(0, spool.corrupt(), "a torn tail is not a corrupt record");
        }
    }

    @Test
    void shouldSkipAndCountACorruptRecordInTheMiddle() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            spool.append(T0, List.of(record(0), record(1), record(2)));
        }
        int second = SegmentReader.HEADER + record(0).length;
        overwrite(segmentFiles().get(0), second + SegmentReader.HEADER + 2, new byte[] {'#'});

        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            List<Spool.Entry> read = readAll(spool, 0);

            assertEquals(List.of(0L, 2L), offsets(read), "offset 1 is skipped, 2 keeps its number");
            assertEquals(1, spool.corrupt());
            assertEquals(3, spool.end());
            readAll(spool, 0);
            assertEquals(1, spool.corrupt(), "counted once however often it is read");
        }
    }

    @Test
    void shouldRefuseRecordsPastItsCapacityAndTakeThemAgainOnceAcknowledged() throws IOException {
        long capacity = 8 * 1024;
        try (Spool spool = Spool.open(dir, capacity, 1024)) {
            int appended = 0;
            try {
                while (true) {
                    spool.append(T0, List.of(new byte[100]));
                    appended++;
                }
            } catch (Spool.FullException full) {
                assertTrue(spool.bytes() <= capacity, "bytes " + spool.bytes());
            }
            long bytesWhenFull = spool.bytes();
            assertEquals(appended, readAll(spool, 0).size(), "a refused append writes nothing");
            assertEquals(bytesWhenFull, segmentFiles().stream().mapToLong(SpoolTest::size).sum());

            spool.acknowledge(appended);

            assertTrue(spool.bytes() < bytesWhenFull, "acknowledged segments are deleted");
            assertEquals(appended, spool.append(T0, List.of(new byte[100])));
        }
    }

    @Test
    void shouldReplayFromTheAcknowledgedPositionAfterARestart() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, 512)) {
            for (int i = 0; i < 40; i++) {
                spool.append(T0, List.of(record(i)));
            }
            spool.acknowledge(25);
        }

        try (Spool spool = Spool.open(dir, MiB, 512)) {
            assertEquals(25, spool.acknowledged());
            assertEquals(15, spool.depth());
            List<Spool.Entry> replay = readAll(spool, spool.acknowledged());
            assertEquals(25L, replay.get(0).offset());
            assertArrayEquals(record(39), replay.get(replay.size() - 1).payload());
            assertEquals(40, spool.append(T0, List.of(record(40))));
        }
    }

    @Test
    void shouldDeleteSegmentsOnceFullyAcknowledgedAndKeepCountingWhenEmpty() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, 512)) {
            for (int i = 0; i < 40; i++) {
                spool.append(T0, List.of(record(i)));
            }
            int before = segmentFiles().size();

            spool.acknowledge(40);

            assertTrue(segmentFiles().size() < before, segmentFiles().toString());
            assertEquals(0, spool.depth());
        }
        try (Spool spool = Spool.open(dir, MiB, 512)) {
            assertEquals(40, spool.end(), "offsets never go back: the checkpoint keeps them");
            assertEquals(List.of(), readAll(spool, spool.acknowledged()));
        }
    }

    @Test
    void shouldRefuseASecondSpoolOnTheSameDirectory() throws IOException {
        try (Spool spool = Spool.open(dir, MiB, MiB)) {
            IOException e = assertThrows(IOException.class, () -> Spool.open(dir, MiB, MiB));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    private static byte[] record(int i) {
        return ("event-" + i + "-" + "x".repeat(i % 7)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Spool.Entry> readAll(Spool spool, long from) throws IOException {
        Spool.Batch batch = spool.read(from, Integer.MAX_VALUE, Long.MAX_VALUE);
        List<Spool.Entry> all = new java.util.ArrayList<>(batch.entries());
        while (batch.next() < spool.end()) {
            batch = spool.read(batch.next(), Integer.MAX_VALUE, Long.MAX_VALUE);
            all.addAll(batch.entries());
        }
        return all;
    }

    private static List<Long> offsets(List<Spool.Entry> entries) {
        return entries.stream().map(Spool.Entry::offset).toList();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".spool")).sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), position);
        }
    }
}
