package io.streammeter.metering.query;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streammeter.avro.StreamEvent;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.query.LineItemViews.InFlight;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightReportsTest {
    static final PriceTable PRICES = PriceFile.bundled();

    static OpenStream fold(StreamEvent... events) {
        OpenStream fold = OpenStream.empty(events[0].getStreamId());
        for (StreamEvent e : events) {
            fold = fold.fold(e, T0.toEpochMilli());
        }
        return fold;
    }

    @Test
    void shouldPriceReportedUsageAndEstimatesAndSumThemPerKey() {
        OpenStream reported =
                fold(started("r", T0, "k_a", "gpt-4o-mini"), chunk("r", 1, T0, usage(500, 20)));
        OpenStream estimated =
                fold(started("e", T0, "k_a", "gpt-4o-mini"), chunk("e", 1, T0), chunk("e", 2, T0));
        OpenStream other = fold(started("o", T0, "k_b", "gpt-4o-mini"));
        InFlight live = InFlightReports.of(List.of(estimated, other, reported), PRICES, T0);

        assertEquals(3, live.streams());
        assertEquals("k_a", live.keys().get(0).keyId(), "highest cost first");
        assertEquals(
                87 + 27, live.keys().get(0).costMicros(), "500x0.15+20x0.60, 100x0.15+20x0.60");
        assertEquals(600, live.keys().get(0).promptTokens());
        assertEquals("estimated", live.keys().get(0).open().get(0).usageSource());
        assertEquals(
                15, live.keys().get(1).costMicros(), "the prompt alone: 400 chars, 100 tokens");
        assertEquals(87 + 27 + 15, live.costMicros());
        assertEquals("0.000129", live.costUsd());
    }

    @Test
    void shouldLeaveOutFoldsWithoutStartOrAlreadyEnded() {
        OpenStream noStart = fold(chunk("n", 1, T0));
        OpenStream ended =
                fold(
                        started("d", T0, "k_a", "gpt-4o-mini"),
                        chunk("d", 1, T0),
                        ended("d", 3, T0, null));
        assertEquals(0, InFlightReports.of(List.of(noStart, ended), PRICES, T0).streams());
    }

    @Test
    void shouldSumAKeysStreamsAcrossInstances() {
        InFlight one =
                InFlightReports.of(
                        List.of(fold(started("x", T0, "k_a", "gpt-4o-mini"))), PRICES, T0);
        InFlight two =
                InFlightReports.of(
                        List.of(fold(started("y", T0, "k_a", "gpt-4o-mini"))), PRICES, T0);
        InFlight merged = InFlightReports.merge(T0, List.of(one.keys(), two.keys()));
        assertEquals(1, merged.keys().size());
        assertEquals(2, merged.keys().get(0).streams());
        assertEquals(30, merged.costMicros());
    }

    @Test
    void shouldLeaveAnUnpricedModelsCostOut() {
        InFlight live =
                InFlightReports.of(
                        List.of(fold(started("u", T0, "k_a", "no-such-model"))), PRICES, T0);
        assertNull(live.keys().get(0).open().get(0).costMicros());
        assertEquals(0, live.costMicros());
    }
}
