package io.streammeter.metering.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.metering.domain.SpendAmounts;
import io.streammeter.metering.domain.SpendKey;
import io.streammeter.metering.query.QueryParams.Granularity;
import io.streammeter.metering.query.QueryParams.SpendQuery;
import io.streammeter.metering.query.QueryParams.TopQuery;
import io.streammeter.metering.query.Responses.KeySpend;
import io.streammeter.metering.query.Responses.TopKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {
    static final Instant DAY = Instant.parse("2025-03-01T00:00:00Z");

    @Test
    void shouldSumHoursIntoDaysPerModelAndInTotal() {
        var query = new SpendQuery("k1", DAY, DAY.plus(Duration.ofDays(2)), Granularity.DAY);
        var rows =
                List.of(
                        row("k1", "a", DAY, 10),
                        row("k1", "b", DAY.plusSeconds(7200), 5),
                        row("k1", "a", DAY.plus(Duration.ofHours(25)), 1));

        var report = Reports.spend(query, rows);

        assertEquals(2, report.buckets().size());
        assertEquals(15, report.buckets().get(0).total().costMicros());
        assertEquals(
                List.of("a", "b"),
                report.models().stream().map(Responses.ModelSpend::model).toList());
        assertEquals(11, report.models().get(0).spend().costMicros());
        assertEquals("0.000016", report.total().costUsd());
    }

    @Test
    void shouldRankKeysByCostAcrossInstances() {
        var query = new TopQuery(DAY, DAY.plus(Duration.ofDays(1)), 2);
        TopKeys one = Reports.top(query, List.of(row("k1", "a", DAY, 10), row("k2", "a", DAY, 30)));
        TopKeys two = Reports.top(query, List.of(row("k3", "a", DAY, 20)));

        TopKeys merged = Reports.mergeTop(query, List.of(one, two));

        assertEquals(List.of("k2", "k3"), merged.keys().stream().map(KeySpend::keyId).toList());
    }

    static SpendAggregate row(String keyId, String model, Instant start, long cost) {
        SpendAggregate empty =
                SpendAmounts.emptyRow(
                        new SpendKey(keyId, model),
                        start.toEpochMilli(),
                        start.toEpochMilli() + 3_600_000);
        return new SpendAmounts(1, 0, 0, 0, 0, 0, 0, 0, cost, 0, 0, 0, 0).addTo(empty);
    }
}
