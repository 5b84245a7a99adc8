package io.streammeter.prices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceBookTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir Path dir;

    private Path write(String input, long modifiedSeconds) throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(
                file,
                "models:\n  - model: m\n    effective_from: 2025-01-01\n    input: "
                        + input
                        + "\n    output: 1\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(modifiedSeconds)));
        return file;
    }

    private static BigDecimal input(PriceBook book) {
        return book.get().find("m", NOW).orElseThrow().inputPerMillion();
    }

    @Test
    void shouldSwapInAChangedValidTable() throws Exception {
        PriceBook book = PriceBook.watching(write("0.5", 1_000));
        assertFalse(book.reloadIfChanged(), "nothing changed yet");

        write("0.7", 2_000);

        assertTrue(book.reloadIfChanged());
        assertEquals(new BigDecimal("0.7"), input(book));
    }

    @Test
    void shouldKeepTheTableInForceWhenTheNewFileIsInvalid() throws Exception {
        PriceBook book = PriceBook.watching(write("0.5", 1_000));
        PriceTable before = book.get();
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, "models: [ {model: m, input: lots} ]\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(3_000)));

        assertFalse(book.reloadIfChanged());
        assertSame(before, book.get());
    }

    @Test
    void shouldRefuseAnInvalidFileAtStart() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "not: a price table\n");

        assertThrows(RuntimeException.class, () -> PriceBook.watching(file));
    }

    @Test
    void shouldNeverReloadAFixedTable() {
        PriceBook book = PriceBook.fixed(PriceFile.bundled());

        assertFalse(book.reloadIfChanged());
    }
}
