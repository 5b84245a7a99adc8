package io.streammeter.metering.query;

import java.util.List;

/** The JSON bodies of the query API (snake_case on the wire; times as ISO-8601 UTC instants). */
public final class Responses {
    private Responses() {}

    /** {@code GET /v1/spend}: buckets with data, oldest first; per-model and overall totals. */
    public record SpendReport(
            String keyId,
            String from,
            String to,
            String granularity,
            List<Bucket> buckets,
            List<ModelSpend> models,
            SpendFigures total) {}

    /** One hour or day of a key's spend. */
    public record Bucket(String start, String end, List<ModelSpend> models, SpendFigures total) {}

    /** Spend on one model. */
    public record ModelSpend(String model, SpendFigures spend) {}

    /** {@code GET /v1/spend/top}: keys by cost, highest first (ties by key id). */
    public record TopKeys(String from, String to, int limit, List<KeySpend> keys) {}

    /** Spend of one key over the range. */
    public record KeySpend(String keyId, SpendFigures spend) {}

    /** {@code GET /v1/alerts/missing-usage}: newest first. */
    public record AlertList(String since, int limit, List<AlertView> alerts) {}

    /** One stream that ended without usage. */
    public record AlertView(
            String streamId,
            String keyId,
            String model,
            String upstream,
            String outcome,
            String reason,
            long estimatedPromptTokens,
            long estimatedCompletionTokens,
            String endedAt) {}
}
