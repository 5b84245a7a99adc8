package io.streammeter.prices;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The price table: entries tried top to bottom, the first whose pattern matches the model and whose
 * effective date is on or before the line item's time wins. So newer prices go above older ones and
 * specific names above the globs that would also match them. Entries that can never win are
 * rejected when the table is built.
 */
public record PriceTable(List<PriceEntry> entries) {

    public PriceTable {
        entries = List.copyOf(entries);
        for (int later = 0; later < entries.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (shadows(entries.get(earlier), entries.get(later))) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "price entry %d (%s) can never apply: entry %d (%s) matches"
                                            + " first; list newer and more specific entries"
                                            + " first",
                                    later + 1,
                                    entries.get(later).label(),
                                    earlier + 1,
                                    entries.get(earlier).label()));
                }
            }
        }
    }

    /** The entry that prices {@code model} at {@code at}, or empty when it is unpriced. */
    public Optional<PriceEntry> find(String model, Instant at) {
        return entries.stream().filter(e -> e.appliesTo(model, at)).findFirst();
    }

    /** An earlier entry shadows a later one if it matches all its models from an earlier date. */
    private static boolean shadows(PriceEntry earlier, PriceEntry later) {
        boolean coversModels =
                earlier.model().equals(later.model())
                        || (!later.model().isGlob()
                                && earlier.model().matches(later.model().text()));
        return coversModels && !earlier.effectiveFrom().isAfter(later.effectiveFrom());
    }
}
