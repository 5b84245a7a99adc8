package io.streammeter.prices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    static final String TABLE =
            """
            models:
              - {model: gpt-4o-mini*, effective_from: 2024-07-18, input: 0.15, output: 0.60}
              - {model: gpt-4o*, effective_from: 2024-10-01, input: 2.50, cached_input: 1.25, output: 10}
              - {model: gpt-4o*, effective_from: 2024-05-13, input: 5, output: 15}
              - {model: exact-model, effective_from: "2025-01-01T12:00:00Z", input: 1, output: 2}
            """;

    final PriceTable prices = PriceFile.parse(TABLE, false);

    @Test
    void shouldUseTheFirstEntryThatMatches() {
        assertEquals(
                "gpt-4o-mini*",
                find("gpt-4o-mini-2024-07-18", "2025-01-01T00:00:00Z").model().text());
        assertEquals(
                "gpt-4o*@2024-10-01T00:00:00Z",
                find("gpt-4o-2024-08-06", "2025-01-01T00:00:00Z").label());
    }

    @Test
    void shouldApplyPricesFromTheirEffectiveDate() {
        assertEquals(
                "gpt-4o*@2024-05-13T00:00:00Z", find("gpt-4o", "2024-09-30T23:59:59Z").label());
        assertEquals(
                "gpt-4o*@2024-10-01T00:00:00Z", find("gpt-4o", "2024-10-01T00:00:00Z").label());
        assertEquals(
                Optional.empty(), prices.find("gpt-4o", Instant.parse("2024-05-12T00:00:00Z")));
        assertEquals(
                Optional.empty(),
                prices.find("exact-model", Instant.parse("2025-01-01T11:59:59Z")));
    }

    @Test
    void shouldLeaveUnknownModelsUnpriced() {
        assertEquals(
                Optional.empty(),
                prices.find("claude-unknown", Instant.parse("2025-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), prices.find(null, Instant.parse("2025-01-01T00:00:00Z")));
        assertEquals(
                1.25, find("gpt-4o", "2025-01-01T00:00:00Z").cachedInputPerMillion().doubleValue());
        assertEquals(
                0.15,
                find("gpt-4o-mini", "2025-01-01T00:00:00Z").cachedInputPerMillion().doubleValue(),
                "cached_input defaults to input");
    }

    @Test
    void shouldRejectAnEntryThatCanNeverApply() {
        String shadowed =
                """
                models:
                  - {model: gpt-4o*, effective_from: 2024-05-13, input: 5, output: 15}
                  - {model: gpt-4o-mini, effective_from: 2024-07-18, input: 0.15, output: 0.60}
                """;
        var e =
                assertThrows(
                        IllegalArgumentException.class, () -> PriceFile.parse(shadowed, false));
        assertTrue(
                e.getMessage()
                        .contains(
                                "price entry 2 (gpt-4o-mini@2024-07-18T00:00:00Z) can never apply"),
                e.getMessage());
    }

    @Test
    void shouldMatchGlobsOnTheWholeNameCaseSensitively() {
        ModelPattern glob = new ModelPattern("claude-?-sonnet*");
        assertTrue(glob.matches("claude-3-sonnet-20240229"));
        assertFalse(glob.matches("claude-35-sonnet"));
        assertFalse(glob.matches("Claude-3-sonnet"));
        assertFalse(new ModelPattern("gpt-4o").matches("gpt-4o-mini"), "exact means exact");
        assertTrue(new ModelPattern("a.b*").matches("a.bc"));
        assertFalse(new ModelPattern("a.b*").matches("axbc"), "regex characters are literal");
    }

    private PriceEntry find(String model, String at) {
        return prices.find(model, Instant.parse(at)).orElseThrow();
    }
}
