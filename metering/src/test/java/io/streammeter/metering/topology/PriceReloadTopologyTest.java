package io.streammeter.metering.topology;

import static io.streammeter.metering.Fixtures.MODEL;
import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A price table swapped while metering runs prices the line items made after the swap. */
class PriceReloadTopologyTest {

    @Test
    void shouldPriceLineItemsWithTheTableInForceWhenTheyAreMade() {
        AtomicReference<PriceTable> prices = new AtomicReference<>(PriceFile.bundled());
        try (MeteringDriver metering =
                new MeteringDriver(MeteringConfig.defaults(), T0, prices::get)) {
            metering.pipe(started("s1", T0), ended("s1", 1, T0.plusSeconds(1), usage(1000, 1000)));
            prices.set(
                    PriceFile.parse(
                            "models:\n  - model: \""
                                    + MODEL
                                    + "\"\n    effective_from: 2020-01-01\n    input: 100\n"
                                    + "    output: 100\n",
                            false));
            metering.pipe(started("s2", T0), ended("s2", 1, T0.plusSeconds(2), usage(1000, 1000)));

            List<StreamSummary> items = metering.summaries();
            StreamSummary before = items.get(0);
            StreamSummary after = items.get(1);
            assertEquals(200_000L, after.getCostMicros(), "2,000 tokens at $100 per million");
            assertNotEquals(before.getPriceEntry(), after.getPriceEntry(), "each names its entry");
        }
    }
}
