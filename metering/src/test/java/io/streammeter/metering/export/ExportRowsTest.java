package io.streammeter.metering.export;

import static io.streammeter.metering.Fixtures.T0;
import static io.streammeter.metering.Fixtures.anthropicUsage;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.prices.LineItems;
import io.streammeter.prices.PriceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportRowsTest {

    @Test
    void shouldWriteEverySummaryColumnInOrderWithCacheWritesLast() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(ended("s1", 1, T0.plusSeconds(2), anthropicUsage(10, 40, 64, 16)), 2);

        Map<String, Object> row = ExportRows.summary(LineItems.of(fold, PriceFile.bundled(), 0));

        assertEquals(ExportRows.SUMMARY_COLUMNS, List.copyOf(row.keySet()));
        assertEquals(16L, row.get("cache_creation_prompt_tokens"));
        assertEquals(90L, row.get("prompt_tokens"), "input + cache read + cache write");
        assertEquals(64L, row.get("cached_prompt_tokens"));
    }

    @Test
    void shouldCarryWhatExplainsALineItem() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(ended("s1", 1, T0.plusSeconds(2), anthropicUsage(10, 40, 64, 16)), 2);
        var item = LineItems.of(fold, PriceFile.bundled(), 0);

        Map<String, Object> row = ExportRows.summary(item);

        assertEquals(item.getUpstreamStatus(), row.get("upstream_status"));
        assertEquals(item.getFinishReason(), row.get("finish_reason"));
        assertEquals(item.getErrorText(), row.get("error_text"));
        assertEquals(item.getDurationMillis(), row.get("duration_ms"));
        assertEquals(item.getChunkCount(), row.get("chunk_count"));
        assertEquals(item.getPriceEntry(), row.get("price_entry"));
        assertNotNull(row.get("price_entry"), "a priced model names the entry it was priced at");
        assertNotNull(row.get("duration_ms"));
    }

    @Test
    void shouldLeaveCacheWritesEmptyWhenTheUpstreamReportedNone() {
        OpenStream fold =
                OpenStream.empty("s1")
                        .fold(started("s1", T0), 1)
                        .fold(ended("s1", 1, T0.plusSeconds(2), null), 2);

        Map<String, Object> row = ExportRows.summary(LineItems.of(fold, PriceFile.bundled(), 0));

        assertEquals(null, row.get("cache_creation_prompt_tokens"));
    }
}
