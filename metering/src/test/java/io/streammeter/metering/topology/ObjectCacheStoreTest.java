package io.streammeter.metering.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectCacheStoreTest {
    private final AtomicInteger serialized = new AtomicInteger();
    private final KeyValueStore<String, String> inner =
            Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore("folds"),
                            Serdes.String(),
                            counting(Serdes.String()))
                    .withLoggingDisabled()
                    .build();
    private ObjectCacheStore<String, String> store;

    /** A cache of at most {@code maxEntries} values: every value weighs one byte. */
    private ObjectCacheStore<String, String> open(int maxEntries) {
        return open(maxEntries, value -> 1);
    }

    private ObjectCacheStore<String, String> open(long maxBytes, ToLongFunction<String> weigher) {
        store = new ObjectCacheStore<>(inner, maxBytes, weigher);
        init();
        return store;
    }

    private void init() {
        MockProcessorContext<String, String> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        if (store != null && store.isOpen()) {
            store.close();
        }
    }

    @Test
    void shouldWriteAKeyBeneathOncePerCommitHoweverOftenItIsRewritten() {
        open(100);
        assertNull(store.get("s1"));
        for (int i = 1; i <= 30; i++) {
            store.put("s1", store.get("s1") == null ? "1" : store.get("s1") + "," + i);
        }
        assertEquals(0, serialized.get(), "nothing reaches the store beneath before the commit");

        store.flushCache();

        assertEquals(1, serialized.get());
        assertEquals(store.get("s1"), inner.get("s1"));
        assertEquals(30, inner.get("s1").split(",").length);
    }

    @Test
    void shouldNeverWriteAKeyOpenedAndDeletedWithinOneCommit() {
        open(100);
        assertNull(store.get("s1"));
        store.put("s1", "open");
        store.delete("s1");

        store.flushCache();

        assertEquals(0, serialized.get());
        assertNull(inner.get("s1"));
        assertNull(store.get("s1"));
    }

    @Test
    void shouldDeleteBeneathAKeyWrittenInAnEarlierCommit() {
        open(100);
        store.put("s1", "open");
        store.flushCache();

        store.delete("s1");
        assertEquals("open", inner.get("s1"), "deletes wait for the commit like writes");
        store.flushCache();

        assertNull(inner.get("s1"));
        assertNull(store.get("s1"));
    }

    @Test
    void shouldDeleteBeneathAKeyItNeverReadBeforeDeleting() {
        inner.init(new MockProcessorContext<>().getStateStoreContext(), inner);
        inner.put("s1", "from an earlier run");
        store = new ObjectCacheStore<>(inner, 100, value -> 1);

        store.delete("s1");
        store.flushCache();

        assertNull(inner.get("s1"));
    }

    @Test
    void shouldDropUnflushedWritesWhenTheTaskClosesDirty() {
        open(100);
        store.put("s1", "open");

        store.close();

        assertEquals(
                0, serialized.get(), "the aborted transaction's state never reached the store");
    }

    @Test
    void shouldWriteThroughEarlyBeyondItsSize() {
        open(3);
        for (int i = 0; i < 5; i++) {
            store.put("s" + i, "v" + i);
        }

        assertEquals(4, serialized.get(), "the fourth key wrote all four through");
        assertEquals("v2", inner.get("s2"));
        store.flushCache();
        assertEquals("v4", inner.get("s4"));
    }

    @Test
    void shouldBoundTheCacheByTheBytesItsValuesWeigh() {
        open(100, value -> value == null ? 1 : value.length());
        store.put("small", "x".repeat(10));
        store.put("medium", "x".repeat(40));
        assertEquals(50, store.cachedBytes());
        assertEquals(0, serialized.get());

        store.put("large", "x".repeat(60)); // 110 bytes > 100: all written through, cache emptied

        assertEquals(3, serialized.get());
        assertEquals(0, store.cachedBytes());
        assertEquals(0, store.cachedEntries());
        assertEquals("x".repeat(60), inner.get("large"));
        assertEquals("x".repeat(10), store.get("small"), "read back from beneath");
        assertEquals(10, store.cachedBytes());
        store.put("small", "x".repeat(20));
        assertEquals(20, store.cachedBytes(), "a rewrite weighs its new value only");
        store.delete("small");
        store.flushCache();
        assertEquals(0, store.cachedBytes(), "a deleted key leaves the cache at the commit");
    }

    @Test
    void shouldReadWhatTheStoreBeneathRestoredOnceTheTaskIsRecycled() {
        open(100);
        store.put("s1", "active");
        store.flushCache();
        assertEquals("active", store.get("s1"), "cached");

        // Active to standby: Kafka Streams clears the caches of a recycled task's stores, then
        // restores the changelog into the store beneath, past this layer.
        store.clearCache();
        inner.put("s1", "restored");
        // Standby to active again: the task processes through this layer.
        assertEquals("restored", store.get("s1"));
        assertEquals(1, store.cachedEntries());
    }

    @Test
    void shouldStartEmptyWhenTheStoreIsClosedAndInitialisedAgain() {
        open(100);
        store.put("s1", "before");
        store.flushCache();
        store.get("s1");

        store.close(); // a task migrated away, then back (or revived after corruption)
        init();
        assertEquals(0, store.cachedEntries());
        assertEquals(0, store.cachedBytes());
        inner.put("s1", "after");

        assertEquals("after", store.get("s1"), "no object outlives the store's reopening");
    }

    @Test
    void shouldShowUnflushedWritesToRangeReads() {
        open(100);
        store.put("a", "1");
        store.put("b", "2");
        store.delete("b");
        store.put("c", "3");

        List<KeyValue<String, String>> all = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.range("a", "z")) {
            it.forEachRemaining(all::add);
        }

        assertEquals(List.of(KeyValue.pair("a", "1"), KeyValue.pair("c", "3")), all);
    }

    private Serde<String> counting(Serde<String> serde) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    serialized.incrementAndGet();
                    return serde.serializer().serialize(topic, value);
                },
                serde.deserializer());
    }
}
