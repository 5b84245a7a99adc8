package io.streammeter.prices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceFileTest {

    @Test
    void shouldLoadTheBundledExampleTable() {
        PriceTable table = PriceFile.bundled();
        Instant now = Instant.parse("2025-11-01T00:00:00Z");
        for (String model :
                new String[] {
                    "gpt-4o",
                    "gpt-4o-mini",
                    "gpt-4.1-mini",
                    "o3",
                    "o3-mini",
                    "claude-sonnet-4-20250514",
                    "claude-3-5-haiku-20241022"
                }) {
            assertTrue(table.find(model, now).isPresent(), model + " is priced");
        }
        assertEquals(
                "o3-mini*", table.find("o3-mini-2025-01-31", now).orElseThrow().model().text());
    }

    @Test
    void shouldPriceClaudeCacheWritesInTheBundledTable() {
        PriceTable table = PriceFile.bundled();
        Instant now = Instant.parse("2025-12-01T00:00:00Z");

        PriceEntry sonnet = table.find("claude-sonnet-4-5-20250929", now).orElseThrow();
        PriceEntry opus45 = table.find("claude-opus-4-5-20251101", now).orElseThrow();
        PriceEntry mini = table.find("gpt-4o-mini", now).orElseThrow();

        assertEquals(new BigDecimal("3.75"), sonnet.cacheWritePerMillion());
        assertEquals(new BigDecimal("0.3"), sonnet.cachedInputPerMillion());
        assertEquals("claude-opus-4-5*", opus45.model().text(), "not the older opus-4 price");
        assertEquals(new BigDecimal("6.25"), opus45.cacheWritePerMillion());
        assertEquals(mini.inputPerMillion(), mini.cacheWritePerMillion(), "default: input");
    }

    @Test
    void shouldReadTheCacheWriteRateAndDefaultItToInput() {
        PriceTable table =
                PriceFile.parse(
                        """
                        models:
                          - {model: a, effective_from: 2025-01-01, input: 3, cached_input: 0.3, cache_write: 3.75, output: 15}
                          - {model: b, effective_from: 2025-01-01, input: 0.8, output: 4}
                        """,
                        false);

        assertEquals(new BigDecimal("3.75"), table.entries().get(0).cacheWritePerMillion());
        assertEquals(new BigDecimal("0.8"), table.entries().get(1).cacheWritePerMillion());
        assertEquals(new BigDecimal("0.8"), table.entries().get(1).cachedInputPerMillion());
        var negative =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PriceFile.parse(
                                        "models:\n  - {model: m, effective_from: 2025-01-01,"
                                                + " input: 1, cache_write: -1, output: 1}\n",
                                        false));
        assertTrue(
                negative.getMessage().contains("models[0]: cache_write must be a price"),
                negative.getMessage());
    }

    @Test
    void shouldReadJsonAndKeepPricesExact(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(
                file,
                "{\"models\": [{\"model\": \"m\", \"effective_from\": \"2025-01-01\", \"input\": 0.1, \"output\": \"0.3\"}]}");

        PriceEntry entry = PriceFile.load(file).entries().get(0);

        assertEquals(new BigDecimal("0.1"), entry.inputPerMillion());
        assertEquals(new BigDecimal("0.3"), entry.outputPerMillion());
    }

    @Test
    void shouldNameTheEntryAndFieldThatIsWrong() {
        var missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PriceFile.parse(
                                        "models:\n  - {model: m, input: 1, output: 1}\n", false));
        assertTrue(
                missing.getMessage().contains("models[0]: 'effective_from' is required"),
                missing.getMessage());
        var negative =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PriceFile.parse(
                                        "models:\n  - {model: m, effective_from: 2025-01-01, input: -1, output: 1}\n",
                                        false));
        assertTrue(
                negative.getMessage().contains("input must be a price of zero or more"),
                negative.getMessage());
        var date =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PriceFile.parse(
                                        "models:\n  - {model: m, effective_from: soon, input: 1, output: 1}\n",
                                        false));
        assertTrue(
                date.getMessage().contains("'effective_from' must be a date"), date.getMessage());
    }
}
