package io.streammeter.metering.topology;

import io.streammeter.avro.StreamChunks;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.domain.Admission;
import io.streammeter.metering.domain.Alerts;
import io.streammeter.metering.domain.ClosedStream;
import io.streammeter.metering.domain.OpenStream;
import io.streammeter.metering.domain.SummaryChange;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.metering.prices.LineItems;
import io.streammeter.prices.PriceTable;
import io.streammeter.schemas.ChunkGroups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Folds each stream's events and emits its line item. Open streams live in {@link Names#OPEN_STORE}
 * and, by deadline, in {@link Names#DEADLINE_STORE}; a wall-clock punctuation closes those past
 * their deadline (orphaned, or ended with events missing). Closed streams leave a marker in {@link
 * Names#CLOSED_STORE} for the dedup retention. Every path that closes a stream deletes its open
 * state and its deadline entry.
 */
final class StreamFoldProcessor implements Processor<String, StreamEvent, String, SummaryChange> {
    /** Most streams closed by one punctuation; the rest wait for the next one. */
    static final int MAX_CLOSED_PER_PUNCTUATION = 10_000;

    private final MeteringConfig config;
    private final Supplier<PriceTable> prices;
    private final MeteringMetrics metrics;
    private ProcessorContext<String, SummaryChange> context;
    private KeyValueStore<String, OpenStream> open;
    private KeyValueStore<String, String> deadlines;
    private WindowStore<String, ClosedStream> closed;
    private long startedAt;

    StreamFoldProcessor(
            MeteringConfig config, Supplier<PriceTable> prices, MeteringMetrics metrics) {
        this.config = config;
        this.prices = prices;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SummaryChange> context) {
        this.context = context;
        this.open = context.getStateStore(Names.OPEN_STORE);
        this.deadlines = context.getStateStore(Names.DEADLINE_STORE);
        this.closed = context.getStateStore(Names.CLOSED_STORE);
        this.startedAt = context.currentSystemTimeMs();
        context.schedule(checkInterval(config), PunctuationType.WALL_CLOCK_TIME, this::closeDue);
    }

    /**
     * How often deadlines are checked: a quarter of the shorter timeout, between 100 ms and 30 s.
     */
    static Duration checkInterval(MeteringConfig config) {
        long shorter = Math.min(config.orphanTimeout().toMillis(), config.gapTimeout().toMillis());
        return Duration.ofMillis(Math.max(100, Math.min(30_000, shorter / 4)));
    }

    @Override
    public void process(Record<String, StreamEvent> record) {
        StreamEvent event = record.value();
        if (event == null) {
            return;
        }
        if (event.getPayload() instanceof StreamChunks) {
            // Each chunk of a group is folded exactly as if it had come as its own event: same
            // sequence dedup (a resent group counts once), same gaps, same partial-usage rules.
            for (StreamEvent chunk : ChunkGroups.expand(event)) {
                fold(chunk);
            }
            return;
        }
        fold(event);
    }

    private void fold(StreamEvent event) {
        long now = context.currentSystemTimeMs();
        String streamId = event.getStreamId();
        OpenStream stored = open.get(streamId);
        if (stored == null) {
            KeyValue<Long, ClosedStream> marker = marker(streamId, now);
            if (marker != null) {
                correct(streamId, marker, event, now);
                return;
            }
        }
        OpenStream fold = stored != null ? stored : OpenStream.empty(streamId);
        Admission admission = fold.admit(event);
        if (admission != Admission.NEW) {
            metrics.ignoredEvent(admission);
            return;
        }
        OpenStream next = fold.fold(event, now);
        if (!next.isComplete()) {
            open.put(streamId, index(next, stored == null));
            return;
        }
        if (stored != null) {
            forget(stored);
        }
        close(next, now);
    }

    /** A stream closed incomplete gets a corrected line item when its start or end arrives. */
    private void correct(
            String streamId, KeyValue<Long, ClosedStream> marker, StreamEvent event, long now) {
        ClosedStream closedStream = marker.value;
        Admission admission =
                closedStream.correctable() ? closedStream.fold().admit(event) : Admission.CLOSED;
        if (admission != Admission.NEW) {
            metrics.ignoredEvent(admission);
            return;
        }
        OpenStream next = closedStream.fold().fold(event, now);
        boolean changesLineItem =
                event.getPayload() instanceof StreamStarted
                        || event.getPayload() instanceof StreamEnded;
        if (!changesLineItem) {
            closed.put(streamId, closedStream.withFold(next), marker.key);
            return;
        }
        StreamSummary previous = closedStream.lastLineItem();
        StreamSummary current = LineItems.of(next, prices.get(), previous.getRevision() + 1);
        emit(new SummaryChange(current, previous));
        closed.put(streamId, ClosedStream.of(next, current), marker.key);
    }

    private void close(OpenStream fold, long now) {
        StreamSummary item = LineItems.of(fold, prices.get(), 0);
        emit(new SummaryChange(item, null));
        closed.put(fold.streamId(), ClosedStream.of(fold, item), now);
    }

    private void forget(OpenStream fold) {
        open.delete(fold.streamId());
        deadlines.delete(deadlineKey(fold.indexedDeadline(), fold.streamId()));
    }

    private void emit(SummaryChange change) {
        metrics.lineItem(change.current());
        if (change.isCorrection()
                && Alerts.startMissing(change.previous())
                && !Alerts.startMissing(change.current())) {
            metrics.startResolved();
        }
        StreamSummary item = change.current();
        context.forward(new Record<>(item.getStreamId(), change, item.getEndedAt().toEpochMilli()));
    }

    /** Keeps the deadline index no later than the stream's deadline; later is fixed lazily. */
    private OpenStream index(OpenStream fold, boolean isNew) {
        long due = deadline(fold);
        if (!isNew && fold.indexedDeadline() <= due) {
            return fold;
        }
        if (!isNew) {
            deadlines.delete(deadlineKey(fold.indexedDeadline(), fold.streamId()));
        }
        deadlines.put(deadlineKey(due, fold.streamId()), fold.streamId());
        return fold.indexedAt(due);
    }

    private long deadline(OpenStream fold) {
        return fold.deadline(config.orphanTimeout(), config.gapTimeout(), startedAt);
    }

    private void closeDue(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it =
                deadlines.range(null, deadlineKey(now + 1, ""))) {
            while (it.hasNext() && due.size() < MAX_CLOSED_PER_PUNCTUATION) {
                due.add(it.next());
            }
        }
        for (KeyValue<String, String> entry : due) {
            deadlines.delete(entry.key);
            OpenStream fold = open.get(entry.value);
            if (fold == null
                    || !entry.key.equals(deadlineKey(fold.indexedDeadline(), fold.streamId()))) {
                continue;
            }
            long deadline = deadline(fold);
            if (deadline > now) {
                deadlines.put(deadlineKey(deadline, fold.streamId()), fold.streamId());
                open.put(fold.streamId(), fold.indexedAt(deadline));
                continue;
            }
            open.delete(fold.streamId());
            close(fold.end() == null ? fold.orphaned(now) : fold, now);
        }
    }

    private KeyValue<Long, ClosedStream> marker(String streamId, long now) {
        long from = now - config.dedupRetention().toMillis() - Duration.ofDays(1).toMillis();
        KeyValue<Long, ClosedStream> latest = null;
        try (WindowStoreIterator<ClosedStream> it =
                closed.fetch(streamId, Math.max(0, from), now + Duration.ofDays(1).toMillis())) {
            while (it.hasNext()) {
                latest = it.next();
            }
        }
        return latest;
    }

    /** Deadline index key: zero-padded millis, so keys sort by deadline, then the stream id. */
    static String deadlineKey(long deadline, String streamId) {
        String millis = Long.toString(deadline);
        StringBuilder key = new StringBuilder(14 + streamId.length());
        for (int i = millis.length(); i < 13; i++) {
            key.append('0');
        }
        return key.append(millis).append('|').append(streamId).toString();
    }
}
