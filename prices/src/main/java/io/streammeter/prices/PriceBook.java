package io.streammeter.prices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price table in force, which may change while metering runs: {@link #reloadIfChanged} reads
 * the price file again when its modification time or size changed, and swaps the table only when
 * the new one is valid. A line item is priced with the table in force when it is emitted, and
 * records the entry it used ({@code priceEntry}: pattern and effective date), so a reload never
 * changes an emitted line item and every one says what it was priced at.
 */
public final class PriceBook implements Supplier<PriceTable> {
    private static final Logger LOG = LoggerFactory.getLogger(PriceBook.class);

    private final Path file;
    private volatile PriceTable current;
    private FileTime modified;
    private long size;

    private PriceBook(Path file, PriceTable table) {
        this.file = file;
        this.current = Objects.requireNonNull(table, "table");
    }

    /** A table that never changes. */
    public static PriceBook fixed(PriceTable table) {
        return new PriceBook(null, table);
    }

    /** The table in {@code file}, read now (an invalid file fails here, at start-up). */
    public static PriceBook watching(Path file) {
        PriceBook book = new PriceBook(file, PriceFile.load(file));
        book.remember();
        return book;
    }

    @Override
    public PriceTable get() {
        return current;
    }

    /**
     * Reads the file again if it changed since it was last read. A file that cannot be read or is
     * not a valid table leaves the table in force, with one warning naming the file and why.
     *
     * @return whether a new table is now in force
     */
    public synchronized boolean reloadIfChanged() {
        if (file == null || !changed()) {
            return false;
        }
        remember();
        try {
            PriceTable table = PriceFile.load(file);
            current = table;
            LOG.info("Price table reloaded from {}: {} entries", file, table.entries().size());
            return true;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Price file {} not reloaded, the previous table stays in force: {}",
                    file,
                    e.getMessage());
            return false;
        }
    }

    private boolean changed() {
        try {
            return !Files.getLastModifiedTime(file).equals(modified) || Files.size(file) != size;
        } catch (IOException e) {
            return false; // gone for a moment (an editor's atomic save): look again next time
        }
    }

    private void remember() {
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException e) {
            modified = null;
            size = -1;
        }
    }
}
