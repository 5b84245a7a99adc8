package io.streammeter.metering.topology;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.OffsetCheckpoint;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A persistent window store that can be reopened under exactly-once after a clean stop although it
 * holds nothing. Kafka Streams 4.3 keeps a segmented store's committed changelog offset inside its
 * segments, so a window store with no segment (a partition that never saw a missing-usage alert, a
 * spend row, …) reports no committed offset; at the next start, in a task directory that is not
 * empty, exactly-once takes that for possibly uncommitted data, declares the task corrupted (an
 * ERROR line), wipes it and restores it. A store with no entry at all holds no uncommitted data, so
 * this layer answers "offset unknown": the store restores from the changelog's start, as a new one
 * does. A store that holds entries but no offset stays corrupted, as it must.
 */
class EmptyAwareWindowStore extends WrappedStateStore<WindowStore<Bytes, byte[]>, Bytes, byte[]>
        implements WindowStore<Bytes, byte[]> {

    EmptyAwareWindowStore(WindowStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** {@code inner}'s stores with this layer on top of each, timestamped if they are. */
    static WindowBytesStoreSupplier supplier(WindowBytesStoreSupplier inner) {
        return new Supplier(inner);
    }

    /** The layer over a timestamped store: Kafka Streams looks for the marker on the top layer. */
    static final class Timestamped extends EmptyAwareWindowStore implements TimestampedBytesStore {
        Timestamped(WindowStore<Bytes, byte[]> inner) {
            super(inner);
        }
    }

    private record Supplier(WindowBytesStoreSupplier inner) implements WindowBytesStoreSupplier {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public WindowStore<Bytes, byte[]> get() {
            WindowStore<Bytes, byte[]> store = inner.get();
            return store instanceof TimestampedBytesStore
                    ? new Timestamped(store)
                    : new EmptyAwareWindowStore(store);
        }

        @Override
        public String metricsScope() {
            return inner.metricsScope();
        }

        @Override
        public long segmentIntervalMs() {
            return inner.segmentIntervalMs();
        }

        @Override
        public long windowSize() {
            return inner.windowSize();
        }

        @Override
        public boolean retainDuplicates() {
            return inner.retainDuplicates();
        }

        @Override
        public long retentionPeriod() {
            return inner.retentionPeriod();
        }
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        Long committed = wrapped().committedOffset(partition);
        if (committed != null) {
            return committed;
        }
        try (KeyValueIterator<Windowed<Bytes>, byte[]> any = wrapped().all()) {
            return any.hasNext() ? null : OffsetCheckpoint.OFFSET_UNKNOWN;
        }
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        super.init(context, root);
    }

    @Override
    public void put(Bytes key, byte[] value, long windowStartTimestamp) {
        wrapped().put(key, value, windowStartTimestamp);
    }

    @Override
    public byte[] fetch(Bytes key, long time) {
        return wrapped().fetch(key, time);
    }

    @Override
    public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
        return wrapped().fetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(
            Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
        return wrapped().backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(
            Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
        return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
        return wrapped().backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
        return wrapped().backwardAll();
    }
}
