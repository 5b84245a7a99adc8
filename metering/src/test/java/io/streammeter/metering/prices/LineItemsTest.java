package io.streammeter.metering.prices;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamSummary;
import io.streammeter.avro.UsageSource;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.SpendKey;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import org.junit.jupiter.api.Test;

class LineItemsTest {
    static final PriceTable PRICES = PriceFile.bundled();

    @Test
    void shouldFallBackToTheChunksUsageWhenTheEndHasNone() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(chunk("s1", 1, T0, usage(12, 30)), 2)
                        .fold(ended("s1", 2, T0, null), 3);

        StreamSummary item = LineItems.of(fold, PRICES, 0);

        assertEquals(UsageSource.REPORTED, item.getUsageSource());
        assertEquals(30, item.getUsage().getCompletionTokens());
        assertEquals(20L, item.getCostMicros());
    }

    @Test
    void shouldEstimateOnlyWhenUsageIsMissing() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(
                                ended(
                                        "s1",
                                        1,
                                        T0,
                                        null,
                                        e ->
                                                e.setOutcome(Outcome.UPSTREAM_TIMEOUT)
                                                        .setContentChars(9)
                                                        .setToolArgumentChars(7)),
                                2);

        StreamSummary item = LineItems.of(fold, PRICES, 0);

        assertTrue(item.getMissingUsage());
        assertEquals("upstream_timeout", item.getMissingUsageReason());
        assertEquals(UsageSource.ESTIMATED, item.getUsageSource());
        assertEquals(100, item.getEstimatedPromptTokens());
        assertEquals(3 + 3, item.getEstimatedCompletionTokens(), "ceil(9/4) + ceil(7/3)");
        assertNull(item.getCostMicros(), "estimates are never priced");
    }

    @Test
    void shouldBillAnEndWithoutStartUnderNoKey() {
        OpenStream fold = OpenStream.empty("s1").fold(ended("s1", 1, T0, usage(1, 1)), 1);

        StreamSummary item = LineItems.of(fold, PRICES, 0);

        assertNull(item.getKeyId());
        assertEquals(1, item.getSequenceGaps(), "the start is a lost event");
        assertEquals(new SpendKey("-", "-"), SpendKey.of(item));
        assertTrue(item.getUnpriced(), "no model: nothing to price it with");
    }
}
