package io.streammeter.metering.query;

import io.streammeter.metering.domain.ChunkTotals;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.StreamStart;
import io.streammeter.metering.domain.Tokens;
import io.streammeter.metering.domain.UsageEstimate;
import io.streammeter.metering.query.LineItemViews.InFlight;
import io.streammeter.metering.query.LineItemViews.InFlightKey;
import io.streammeter.metering.query.LineItemViews.InFlightStream;
import io.streammeter.prices.Cost;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Live exposure from the open folds: what each stream still running has consumed so far and what
 * that would cost now. Folds whose start has not arrived (no key to charge) or whose end has (only
 * waiting for lost events) are left out.
 */
public final class InFlightReports {
    private InFlightReports() {}

    public static InFlight of(Collection<OpenStream> folds, PriceTable prices, Instant now) {
        List<InFlightStream> streams = new ArrayList<>();
        for (OpenStream fold : folds) {
            if (fold.start() != null && fold.end() == null) {
                streams.add(stream(fold, prices, now));
            }
        }
        return merge(now, List.of(byKey(streams)));
    }

    /** One instance's keys, each with its streams, for {@link #merge}. */
    private static List<InFlightKey> byKey(List<InFlightStream> streams) {
        Map<String, List<InFlightStream>> byKey = new TreeMap<>();
        streams.forEach(s -> byKey.computeIfAbsent(s.keyId(), k -> new ArrayList<>()).add(s));
        List<InFlightKey> keys = new ArrayList<>();
        byKey.forEach((key, open) -> keys.add(key(key, open)));
        return keys;
    }

    /**
     * Several instances' answers as one. A key's streams may be open on several instances (streams
     * are partitioned by stream id), so keys are summed across the parts.
     */
    public static InFlight merge(Instant now, List<List<InFlightKey>> parts) {
        Map<String, List<InFlightStream>> byKey = new TreeMap<>();
        for (List<InFlightKey> part : parts) {
            for (InFlightKey key : part) {
                byKey.computeIfAbsent(key.keyId(), k -> new ArrayList<>()).addAll(key.open());
            }
        }
        List<InFlightKey> keys = new ArrayList<>();
        byKey.forEach((key, open) -> keys.add(key(key, open)));
        keys.sort(
                Comparator.comparingLong(InFlightKey::costMicros)
                        .reversed()
                        .thenComparing(InFlightKey::keyId));
        long cost = keys.stream().mapToLong(InFlightKey::costMicros).sum();
        int count = keys.stream().mapToInt(InFlightKey::streams).sum();
        return new InFlight(now.toString(), count, cost, Cost.usd(cost), keys);
    }

    private static InFlightKey key(String keyId, List<InFlightStream> open) {
        List<InFlightStream> sorted = new ArrayList<>(open);
        sorted.sort(
                Comparator.comparing(InFlightStream::startedAt)
                        .thenComparing(InFlightStream::streamId));
        long prompt = 0;
        long completion = 0;
        long cost = 0;
        for (InFlightStream s : sorted) {
            prompt += s.promptTokens();
            completion += s.completionTokens();
            cost += s.costMicros() == null ? 0 : s.costMicros();
        }
        return new InFlightKey(
                keyId, sorted.size(), prompt, completion, cost, Cost.usd(cost), sorted);
    }

    static InFlightStream stream(OpenStream fold, PriceTable prices, Instant now) {
        StreamStart start = fold.start();
        ChunkTotals chunks = fold.chunks();
        Tokens tokens = chunks.usage();
        String source = "reported";
        if (tokens == null) {
            UsageEstimate estimate =
                    UsageEstimate.of(
                            start.promptChars(),
                            chunks.contentChars(),
                            chunks.toolArgumentChars(),
                            chunks.reasoningChars());
            tokens =
                    new Tokens(
                            estimate.promptTokens(),
                            estimate.completionTokens(),
                            estimate.total(),
                            null,
                            null,
                            null,
                            false);
            source = "estimated";
        }
        Optional<PriceEntry> price = prices.find(start.modelRequested(), now);
        Long cost = price.isPresent() ? Cost.micros(tokens.counts(), price.get()) : null;
        return new InFlightStream(
                fold.streamId(),
                start.keyId() == null ? "unknown" : start.keyId(),
                start.modelRequested(),
                start.upstream(),
                Instant.ofEpochMilli(start.startedAt()).toString(),
                Instant.ofEpochMilli(fold.lastSeenAt()).toString(),
                chunks.count(),
                chunks.contentChars(),
                source,
                tokens.promptTokens(),
                tokens.completionTokens(),
                cost,
                cost == null ? null : Cost.usd(cost));
    }
}
