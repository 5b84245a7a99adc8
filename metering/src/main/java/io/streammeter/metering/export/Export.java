package io.streammeter.metering.export;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.keys.CompactedTopicReader;
import io.streammeter.prices.Cost;
import io.streammeter.schemas.TopicCatalog;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Writes hourly spend rows or stream line items of a time range, read from the compacted topics,
 * sorted (spend: window start, key id, model; line items: end time, key id, stream id).
 */
public final class Export {
    /** What to export. */
    public enum Kind {
        SPEND,
        SUMMARIES
    }

    /**
     * @param keyId only this key's rows, or null for every key
     */
    public record Request(Kind kind, TimeRange range, String keyId, ExportFormat format) {}

    /** What was written: rows, and the sums a reader checks the file against. */
    public record Totals(
            long rows, long requests, long promptTokens, long completionTokens, long costMicros) {
        public String describe() {
            return String.format(
                    "%d rows, %d requests, %d prompt tokens, %d completion tokens, cost %s USD",
                    rows, requests, promptTokens, completionTokens, Cost.usd(costMicros));
        }
    }

    private final TopicCatalog catalog;
    private final CompactedTopicReader reader;

    public Export(TopicCatalog catalog, Properties clientProps, Duration timeout) {
        this.catalog = catalog;
        this.reader = new CompactedTopicReader(clientProps, timeout);
    }

    public Totals run(Request request, Writer out, LongConsumer progress) throws IOException {
        return switch (request.kind()) {
            case SPEND -> spend(request, out, progress);
            case SUMMARIES -> summaries(request, out, progress);
        };
    }

    private Totals spend(Request request, Writer out, LongConsumer progress) throws IOException {
        Predicate<SpendAggregate> wanted =
                s ->
                        request.range().contains(s.getWindowStart())
                                && (request.keyId() == null
                                        || request.keyId().equals(s.getKeyId()));
        List<SpendAggregate> rows =
                reader.read(catalog.spendHourly(), progress).values().stream()
                        .filter(wanted)
                        .sorted(ExportRows.SPEND_ORDER)
                        .toList();
        try (var writer = request.format().open(out, ExportRows.SPEND_COLUMNS)) {
            for (SpendAggregate row : rows) {
                writer.write(ExportRows.spend(row));
            }
        }
        return new Totals(
                rows.size(),
                rows.stream().mapToLong(SpendAggregate::getRequests).sum(),
                rows.stream().mapToLong(SpendAggregate::getPromptTokens).sum(),
                rows.stream().mapToLong(SpendAggregate::getCompletionTokens).sum(),
                rows.stream().mapToLong(SpendAggregate::getCostMicros).sum());
    }

    private Totals summaries(Request request, Writer out, LongConsumer progress)
            throws IOException {
        Predicate<StreamSummary> wanted =
                s ->
                        request.range().contains(s.getEndedAt())
                                && (request.keyId() == null
                                        || request.keyId().equals(s.getKeyId()));
        List<StreamSummary> rows =
                reader.read(catalog.streamSummaries(), progress).values().stream()
                        .filter(wanted)
                        .sorted(ExportRows.SUMMARY_ORDER)
                        .toList();
        long prompt = 0;
        long completion = 0;
        long cost = 0;
        try (var writer = request.format().open(out, ExportRows.SUMMARY_COLUMNS)) {
            for (StreamSummary row : rows) {
                Map<String, Object> columns = ExportRows.summary(row);
                writer.write(columns);
                if (row.getUsage() != null) {
                    prompt += row.getUsage().getPromptTokens();
                    completion += row.getUsage().getCompletionTokens();
                }
                cost += row.getCostMicros() == null ? 0 : row.getCostMicros();
            }
        }
        return new Totals(rows.size(), rows.size(), prompt, completion, cost);
    }
}
