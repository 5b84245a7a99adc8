package io.streammeter.metering.domain;

import io.streammeter.avro.StreamSummary;
import java.util.Locale;
import java.util.Objects;

/**
 * A line item on its way to its spend row: added, or retracted because a later revision replaced
 * it. Routed by key id and bucketed by the line item's end time.
 */
public record SpendEntry(Effect effect, StreamSummary lineItem) {

    /** Whether the line item's amounts are added to or taken from the row. */
    public enum Effect {
        ADD,
        RETRACT;

        /** The value of the {@value SpendEntry#EFFECT_HEADER} header and the metric tag. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Header on {@code spend-late} records: {@code add} or {@code retract}. */
    public static final String EFFECT_HEADER = "streammeter.spend.effect";

    public SpendEntry {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(lineItem, "lineItem");
    }

    public SpendKey key() {
        return SpendKey.of(lineItem);
    }

    public long time() {
        return lineItem.getEndedAt().toEpochMilli();
    }

    public SpendAmounts amounts() {
        SpendAmounts amounts = SpendAmounts.of(lineItem);
        return effect == Effect.ADD ? amounts : amounts.negated();
    }
}
