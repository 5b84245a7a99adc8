package io.streammeter.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streammeter.schemas.Topic.Cleanup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void shouldPrefixEveryTopic() {
        var catalog = new TopicCatalog("test-42.");
        assertEquals(
                List.of(
                        "test-42.stream-events",
                        "test-42.stream-summaries",
                        "test-42.spend-hourly",
                        "test-42.spend-late",
                        "test-42.alerts.missing-usage",
                        "test-42.alerts.missing-usage-rate",
                        "test-42.keys",
                        "test-42.customer-budgets",
                        "test-42.alerts.budget"),
                catalog.all().stream().map(Topic::name).toList());
    }

    @Test
    void shouldDeclareTheLayoutsOfTheDesign() {
        var catalog = TopicCatalog.defaults();
        assertEquals("streammeter.stream-events", catalog.streamEvents().name());
        assertEquals(Cleanup.DELETE, catalog.streamEvents().cleanup());
        assertEquals(Duration.ofDays(7), catalog.streamEvents().retention());
        assertEquals(Cleanup.COMPACT, catalog.streamSummaries().cleanup());
        assertEquals(Cleanup.COMPACT, catalog.spendHourly().cleanup());
        assertEquals("streammeter.keys", catalog.keys().name());
        assertEquals(Cleanup.COMPACT, catalog.keys().cleanup());
        assertEquals("streammeter.customer-budgets", catalog.customerBudgets().name());
        assertEquals(Cleanup.COMPACT, catalog.customerBudgets().cleanup());
        assertEquals("streammeter.alerts.budget", catalog.budgetAlerts().name());
        assertEquals(Cleanup.DELETE, catalog.budgetAlerts().cleanup());
        assertEquals(Cleanup.DELETE, catalog.missingUsageAlerts().cleanup());
        assertEquals(Duration.ofDays(30), catalog.missingUsageAlerts().retention());
        assertEquals("604800000", catalog.streamEvents().configs().get("retention.ms"));
    }

    @Test
    void shouldRefuseAPrefixKafkaCannotName() {
        assertThrows(IllegalArgumentException.class, () -> new TopicCatalog("bad prefix/"));
    }
}
