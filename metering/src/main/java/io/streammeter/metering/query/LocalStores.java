package io.streammeter.metering.query;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.metering.domain.SpendKey;
import io.streammeter.metering.topology.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
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
