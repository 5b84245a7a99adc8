package io.streammeter.metering.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.export.Export.Kind;
import io.streammeter.schemas.TopicCatalog;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class ExportIT {
    private static final Instant H0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void shouldExportTheLatestValueOfEachWindowSortedAndFiltered(TestKafka kafka) throws Exception {
        TopicCatalog catalog = kafka.newCatalog("export-spend");
        var topic = catalog.spendHourly();
        try (var producer =
                new KafkaProducer<>(
                        kafka.clientProperties(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            for (SpendAggregate s :
                    List.of(
                            spend("k_b", "gpt-4o", H0, 1, 100),
                            spend("k_a", "gpt-4o", H0.plusSeconds(3600), 1, 5),
                            spend("k_a", "gpt-4o", H0, 1, 7),
                            spend("k_a", "gpt-4o", H0, 2, 1_234_567), // supersedes the line above
                            spend("k_a", "gpt-4o", H0.minusSeconds(3600), 9, 9))) { // out of range
                producer.send(new ProducerRecord<>(topic.name(), key(s), s)).get();
            }
        }

        var out = new StringWriter();
        var totals =
                new Export(catalog, kafka.clientProperties(), Duration.ofSeconds(20))
                        .run(
                                new Export.Request(
                                        Kind.SPEND,
                                        new TimeRange(H0, H0.plusSeconds(7200)),
                                        null,
                                        ExportFormat.CSV),
                                out,
                                read -> {});

        String[] lines = out.toString().split("\n");
        assertEquals(4, lines.length, out.toString());
        assertEquals(String.join(",", ExportRows.SPEND_COLUMNS), lines[0]);
        assertEquals(
                "2026-11-01T10:00:00Z,2026-11-01T11:00:00Z,k_a,gpt-4o,2,20,40,0,0,0,0,0,0,0,1234567,1.234567,0,0",
                lines[1]);
        assertEquals(true, lines[2].contains(",k_b,"), lines[2]);
        assertEquals(true, lines[3].startsWith("2026-11-01T11:00:00Z"), lines[3]);
        assertEquals(new Export.Totals(3, 4, 40, 80, 1_234_672), totals);
    }

    private static String key(SpendAggregate s) {
        return s.getKeyId() + "|" + s.getModel() + "|" + s.getWindowStart().toEpochMilli();
    }

    private static SpendAggregate spend(
            String keyId, String model, Instant hour, long requests, long costMicros) {
        return SpendAggregate.newBuilder()
                .setKeyId(keyId)
                .setModel(model)
                .setWindowStart(hour)
                .setWindowEnd(hour.plusSeconds(3600))
                .setRequests(requests)
                .setPromptTokens(10 * requests)
                .setCompletionTokens(20 * requests)
                .setCachedPromptTokens(0)
                .setReasoningTokens(0)
                .setEstimatedPromptTokens(0)
                .setEstimatedCompletionTokens(0)
                .setStreamsMissingUsage(0)
                .setCostMicros(costMicros)
                .setUnpricedTokens(0)
                .setUnpricedRequests(0)
                .build();
    }
}
