package io.streammeter.metering.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps the values written between two commits as objects and hands them to
 * the store beneath (serde, RocksDB, changelog) once, when Kafka Streams flushes caches before it
 * commits. Kafka Streams' own record cache holds serialized bytes, so a value read and rewritten on
 * every record still pays its serde on every record; this layer pays it once per key per commit.
 *
 * <p>Exactly-once holds as with the record cache: what is written here reaches the changelog inside
 * the transaction that commits the input offsets ({@code flushCache} runs in the task's
 * prepare-commit); a task closed dirty discards the objects with the transaction, and its state is
 * restored from the changelog. It hooks into that flush through {@link WrappedStateStore}, the
 * internal base of Kafka Streams' own store layers (a pinned Kafka version and the fold's tests
 * guard it).
 *
 * <p>Meant for one processor's point reads and writes: range reads first write the cache through.
 * Values are cached by reference: callers must not mutate a value after {@code put} (records).
 *
 * <p>Interactive queries call the range reads from other threads: those read the store beneath as
 * of the last commit and never touch the objects, which only the writing thread may (a
 * write-through from a query thread would race the processor and write outside its transaction).
 *
 * <p>Bounded by bytes: each cached value is weighed (an estimate of its size in memory, null values
 * included) and beyond {@code maxBytes} the changes are written through early and the cache
 * emptied. Recycling (a task handed between active and standby, or migrated) goes through {@link
 * #clearCache} or {@link #close} and {@link #init}, each of which empties the cache, so no object
 * outlives a restoration that changed the store beneath.
 */
final class ObjectCacheStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V>
        implements KeyValueStore<K, V> {
    private final long maxBytes;
    private final ToLongFunction<? super V> weigher;
    private final Map<K, Entry<V>> entries = new HashMap<>();
    private int dirty;
    private long bytes;

    /** The thread that last wrote: the task's stream thread, or a test driver's thread. */
    private volatile Thread writer;

    /**
     * A cached value, null when absent. {@code stored}: the store beneath may hold the key, so a
     * delete must reach it; a stream that opens and closes within one commit never does.
     */
    private record Entry<V>(V value, boolean dirty, boolean stored, long weight) {}

    /**
     * @param maxBytes most bytes of cached values, as weighed
     * @param weigher estimated bytes a value takes in memory; called with null for an absent one
     */
    ObjectCacheStore(KeyValueStore<K, V> inner, long maxBytes, ToLongFunction<? super V> weigher) {
        super(inner);
        this.maxBytes = maxBytes;
        this.weigher = weigher;
    }

    /**
     * A persistent key-value store with this layer on top, keeping objects up to {@code maxBytes}
     * as {@code weigher} estimates them (written through early beyond that).
     */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(
            KeyValueBytesStoreSupplier supplier,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            long maxBytes,
            ToLongFunction<? super V> weigher) {
        return new Builder<>(
                Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde), maxBytes, weigher);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        empty();
        super.init(context, root);
    }

    /** Bytes of the values cached now, as weighed. */
    long cachedBytes() {
        return bytes;
    }

    /** Values cached now. */
    int cachedEntries() {
        return entries.size();
    }

    @Override
    public V get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry != null) {
            return entry.value();
        }
        V value = wrapped().get(key);
        long weight = weigher.applyAsLong(value);
        if (bytes + weight <= maxBytes) {
            entries.put(key, new Entry<>(value, false, value != null, weight));
            bytes += weight;
        }
        return value;
    }

    @Override
    public void put(K key, V value) {
        writer = Thread.currentThread();
        Entry<V> previous = entries.get(key);
        long weight = weigher.applyAsLong(value);
        entries.put(key, new Entry<>(value, true, previous == null || previous.stored(), weight));
        bytes += weight - (previous == null ? 0 : previous.weight());
        if (previous == null || !previous.dirty()) {
            dirty++;
        }
        if (bytes > maxBytes) {
            writeThrough();
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> all) {
        all.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(K key) {
        V current = get(key);
        put(key, null);
        return current;
    }

    /** Writes every changed value to the store beneath, in the commit being prepared. */
    @Override
    public void flushCache() {
        writeThrough();
        super.flushCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeThrough(); // flushCache came first; this only guards a path that skipped it
        super.commit(changelogOffsets);
    }

    @Override
    public void clearCache() {
        empty();
        super.clearCache();
    }

    @Override
    public void close() {
        empty(); // unflushed objects go with the task; a clean close flushed them first
        super.close();
    }

    private void empty() {
        entries.clear();
        dirty = 0;
        bytes = 0;
    }

    private void writeThrough() {
        if (dirty > 0) {
            List<K> deleted = new ArrayList<>();
            for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
                Entry<V> entry = e.getValue();
                if (!entry.dirty()) {
                    continue;
                }
                if (entry.value() == null) {
                    if (entry.stored()) {
                        wrapped().delete(e.getKey());
                    }
                    deleted.add(e.getKey());
                    bytes -= entry.weight();
                } else {
                    wrapped().put(e.getKey(), entry.value());
                    e.setValue(new Entry<>(entry.value(), false, true, entry.weight()));
                }
            }
            deleted.forEach(entries::remove);
            dirty = 0;
        }
        if (bytes > maxBytes) {
            entries.clear(); // all clean now: the store beneath has every value
            bytes = 0;
        }
    }

    /** Range reads by the writer see its objects; a query thread's see the last commit. */
    private void writeThroughIfWriter() {
        if (Thread.currentThread() == writer) {
            writeThrough();
        }
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writeThroughIfWriter();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writeThroughIfWriter();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writeThroughIfWriter();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writeThroughIfWriter();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(
            P prefix, PS prefixKeySerializer) {
        writeThroughIfWriter();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + dirty;
    }

    /** Builds the store beneath as configured, then puts this layer on top. */
    private record Builder<K, V>(
            StoreBuilder<KeyValueStore<K, V>> inner,
            long maxBytes,
            ToLongFunction<? super V> weigher)
            implements StoreBuilder<KeyValueStore<K, V>> {
        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return new Builder<>(inner.withCachingEnabled(), maxBytes, weigher);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return new Builder<>(inner.withCachingDisabled(), maxBytes, weigher);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config), maxBytes, weigher);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled(), maxBytes, weigher);
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new ObjectCacheStore<>(inner.build(), maxBytes, weigher);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
