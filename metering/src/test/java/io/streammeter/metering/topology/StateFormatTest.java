package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammeter.avro.Usage;
import io.streammeter.metering.domain.ClosedStream;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.RateWindow;
import io.streammeter.metering.domain.SequenceTracker;
import io.streammeter.metering.prices.LineItems;
import io.streammeter.prices.PriceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The state stores' serialised forms stay readable: each test reads a fixture this format version
 * wrote (under {@code src/test/resources/state-format/v1/}), so a later release that changes the
 * format proves it still reads what this one left on disk and in the changelogs. Run once with
 * {@code -Dstreammeter.write-state-fixtures=true} to write the fixtures of a new version.
 */
class StateFormatTest {
    static final String FIXTURES = "state-format/v" + JsonSerde.VERSION + "/";

    private final JsonSerde<OpenStream> folds = JsonSerde.folds();
    private final ClosedStreamSerde markers = new ClosedStreamSerde();
    private final JsonSerde<RateWindow> rates = new JsonSerde<>(RateWindow.class);

    /** A fold with every part filled: start, partial chunk usage, holes at 2 and 4, an end. */
    static OpenStream fold() {
        Usage partial = Usage.newBuilder(usage(472, 1)).setPartial(true).build();
        return OpenStream.empty("s1")
                .fold(started("s1", T0), 1_000)
                .fold(chunk("s1", 1, T0.plusMillis(100), partial), 1_001)
                .fold(chunk("s1", 3, T0.plusMillis(300)), 1_002)
                .fold(ended("s1", 5, T0.plusSeconds(2), usage(472, 15)), 1_003)
                .indexedAt(121_003);
    }

    static ClosedStream marker() {
        OpenStream fold = fold();
        return ClosedStream.of(fold, LineItems.of(fold, PriceFile.bundled(), 0));
    }

    @Test
    void shouldReadAnOpenFoldThisVersionWrote() {
        OpenStream read = folds.deserialize(fixture("open-fold.bin", folds.serialize(fold())));

        assertEquals(fold(), read);
        assertEquals(new SequenceTracker(2, new long[] {3, 4, 5, 6}, 0), read.seen());
        assertTrue(read.chunks().usage().partial(), read.toString());
    }

    @Test
    void shouldReadClosedStreamMarkersThisVersionWrote() {
        ClosedStream correctable = marker();
        ClosedStream complete = new ClosedStream(2, null, null);

        assertTrue(correctable.correctable());
        assertEquals(
                correctable,
                markers.deserialize(fixture("closed-marker.bin", markers.serialize(correctable))));
        assertEquals(
                complete,
                markers.deserialize(fixture("complete-marker.bin", markers.serialize(complete))));
    }

    @Test
    void shouldReadARateWindowThisVersionWrote() {
        RateWindow window = RateWindow.EMPTY.count(true, 50, 1).count(false, 50, 1);

        assertEquals(
                window, rates.deserialize(fixture("rate-window.bin", rates.serialize(window))));
    }

    @Test
    void shouldWriteTheFormatVersionFirst() {
        assertEquals(JsonSerde.VERSION, folds.serialize(fold())[0]);
        assertEquals(ClosedStreamSerde.VERSION, markers.serialize(marker())[0]);
    }

    @Test
    void shouldReadFoldsAndMarkersWrittenBeforeTheFormatHadAVersion() throws IOException {
        // Version 0: Smile with no version byte, early sequence numbers as a sorted list.
        ObjectNode v0 = JsonSerde.MAPPER.valueToTree(fold());
        ((ObjectNode) v0.get("seen")).remove("runs");
        ((ObjectNode) v0.get("seen")).putArray("ahead").add(3).add(5).add(6).add(8);
        byte[] v0Fold = JsonSerde.MAPPER.writeValueAsBytes(v0);

        OpenStream read = folds.deserialize(v0Fold);

        assertEquals(new SequenceTracker(2, new long[] {3, 4, 5, 7, 8, 9}, 0), read.seen());
        assertEquals(fold().start(), read.start());
        byte[] v0Marker = {0, 0, 0, 3};
        assertEquals(new ClosedStream(3, null, null), markers.deserialize(v0Marker));
    }

    @Test
    void shouldRefuseAFormatVersionFromALaterReleaseByName() {
        byte[] later = folds.serialize(fold());
        later[0] = (byte) (JsonSerde.VERSION + 1);

        var error = assertThrows(SerializationException.class, () -> folds.deserialize(later));

        assertTrue(error.getMessage().contains("format version 2"), error.getMessage());
    }

    /**
     * The fixture's bytes; with {@code -Dstreammeter.write-state-fixtures=true}, first writes
     * {@code current} as the fixture.
     */
    static byte[] fixture(String name, byte[] current) {
        if (Boolean.getBoolean("streammeter.write-state-fixtures")) {
            Path file = Path.of("src", "test", "resources").resolve(FIXTURES + name);
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, current);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return current;
        }
        try (InputStream in =
                StateFormatTest.class.getClassLoader().getResourceAsStream(FIXTURES + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + FIXTURES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
