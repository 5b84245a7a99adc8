package io.streammeter.metering.query;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.RateWindow;
import io.streammeter.metering.domain.SpendKey;
import io.streammeter.metering.topology.LineItemTopology;
import io.streammeter.metering.topology.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Reads this instance's active state stores (blocking: call off the event loop). */
final class LocalStores {
    private final KafkaStreams streams;

    LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Hourly rows of one key, all models, with window start in {@code [from, to)}. */
    List<SpendAggregate> spendOf(String keyId, Instant from, Instant to) {
        String low = keyId + SpendKey.SEPARATOR;
        String high = low + Character.MAX_VALUE;
        List<SpendAggregate> rows = new ArrayList<>();
        try (var it = spendStore().fetch(low, high, from, to.minusMillis(1))) {
            it.forEachRemaining(kv -> keep(rows, kv, keyId));
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("spend store not queryable yet: " + e.getMessage());
        }
        return rows;
    }

    /** Every hourly row here with window start in {@code [from, to)}. */
    List<SpendAggregate> allSpend(Instant from, Instant to) {
        List<SpendAggregate> rows = new ArrayList<>();
        try (var it = spendStore().fetchAll(from, to.minusMillis(1))) {
            it.forEachRemaining(kv -> rows.add(kv.value));
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("spend store not queryable yet: " + e.getMessage());
        }
        return rows;
    }

    /** Alerts here for streams that ended at or after {@code since}. */
    List<MissingUsageAlert> alertsSince(Instant since, Instant until) {
        List<MissingUsageAlert> alerts = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, MissingUsageAlert> it =
                alertStore().fetchAll(since, until)) {
            it.forEachRemaining(kv -> alerts.add(kv.value));
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("alert store not queryable yet: " + e.getMessage());
        }
        return alerts;
    }

    /** Revisions here of one stream's line item (0 or 1: each revision replaces the last). */
    List<StreamSummary> lineItem(String streamId, Instant since, Instant until) {
        List<StreamSummary> items = new ArrayList<>();
        try (var it =
                this.<StreamSummary>store(Names.LINE_ITEM_STORE).fetch(streamId, since, until)) {
            it.forEachRemaining(kv -> items.add(kv.value));
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("line item store not queryable yet: " + e.getMessage());
        }
        return items;
    }

    /**
     * This instance's newest line items of one key that ended in {@code [since, until)}: looks back
     * an hour, then a day, then a week, then to {@code since}, until it has {@code limit}.
     */
    List<StreamSummary> lineItemsOf(String keyId, int limit, Instant since, Instant until) {
        String low = keyId + LineItemTopology.SEPARATOR;
        String high = low + Character.MAX_VALUE;
        List<StreamSummary> items = new ArrayList<>();
        Instant to = until;
        for (Duration back : LOOK_BACK) {
            Instant from =
                    back == null || until.minus(back).isBefore(since) ? since : until.minus(back);
            if (!from.isBefore(to)) {
                continue;
            }
            try (var it =
                    this.<StreamSummary>store(Names.KEY_LINE_ITEM_STORE)
                            .fetch(low, high, from, to.minusMillis(1))) {
                it.forEachRemaining(kv -> items.add(kv.value));
            } catch (InvalidStateStoreException e) {
                throw ApiError.unavailable("line item store not queryable yet: " + e.getMessage());
            }
            to = from;
            if (items.size() >= limit) {
                break;
            }
        }
        return items;
    }

    private static final List<Duration> LOOK_BACK =
            Arrays.asList(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7), null);

    /** Rate windows here that start in {@code [since, until]}, keyed {@code model|upstream}. */
    List<KeyValue<Windowed<String>, RateWindow>> rateWindows(Instant since, Instant until) {
        List<KeyValue<Windowed<String>, RateWindow>> windows = new ArrayList<>();
        try (var it = this.<RateWindow>store(Names.RATE_STORE).fetchAll(since, until)) {
            it.forEachRemaining(windows::add);
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("rate store not queryable yet: " + e.getMessage());
        }
        return windows;
    }

    /** Every fold open here, as of this instance's last commit. */
    List<OpenStream> openStreams() {
        List<OpenStream> folds = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, OpenStream> open =
                    streams.store(
                            StoreQueryParameters.fromNameAndType(
                                    Names.OPEN_STORE,
                                    QueryableStoreTypes.<String, OpenStream>keyValueStore()));
            try (var it = open.all()) {
                it.forEachRemaining(kv -> folds.add(kv.value));
            }
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("open stream store not queryable yet: " + e.getMessage());
        }
        return folds;
    }

    private static void keep(
            List<SpendAggregate> rows,
            KeyValue<Windowed<String>, SpendAggregate> kv,
            String keyId) {
        if (SpendKey.keyIdOf(kv.key.key()).equals(keyId)) {
            rows.add(kv.value);
        }
    }

    private ReadOnlyWindowStore<String, SpendAggregate> spendStore() {
        return store(Names.SPEND_STORE);
    }

    private ReadOnlyWindowStore<String, MissingUsageAlert> alertStore() {
        return store(Names.ALERT_STORE);
    }

    private <V> ReadOnlyWindowStore<String, V> store(String name) {
        try {
            return streams.store(
                    StoreQueryParameters.fromNameAndType(
                            name, QueryableStoreTypes.<String, V>windowStore()));
        } catch (InvalidStateStoreException e) {
            throw ApiError.unavailable("store " + name + " not queryable yet: " + e.getMessage());
        }
    }
}
