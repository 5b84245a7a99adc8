package io.streammeter.bench.topology;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Latency from a stream's end (the moment its {@code StreamEnded} is handed to the producer) to the
 * {@code spend-hourly} row that counts it. Rows are aggregates, so ends are matched by count: the
 * n-th request a key and model's rows add up to is the n-th end sent for that key and model.
 */
final class EndToSpendLatency implements SpendWatcher.Listener {
    private final Map<String, Queue<Long>> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> latest = new HashMap<>();
    private final Histogram micros = new Histogram(600_000_000L, 3);
    private final AtomicLong ends = new AtomicLong();
    private volatile long matched;
    private long expectedEnds = Long.MAX_VALUE;
    private final java.util.concurrent.CompletableFuture<Void> allSeen =
            new java.util.concurrent.CompletableFuture<>();

    /** Called by the producing thread just before it sends a stream's end. */
    void ending(StreamEvent event, String modelRequested, long nowNanos) {
        StreamEnded end = (StreamEnded) event.getPayload();
        String model = end.getModelReported() != null ? end.getModelReported() : modelRequested;
        sent.computeIfAbsent(keyOf(event, model), k -> new ConcurrentLinkedQueue<>()).add(nowNanos);
        ends.incrementAndGet();
    }

    private final Map<String, String> keyIds = new ConcurrentHashMap<>();

    /** Remembers a stream's key id from its start, which the end does not repeat. */
    void started(String streamId, String keyId) {
        keyIds.put(streamId, keyId);
    }

    private String keyOf(StreamEvent event, String model) {
        String keyId = keyIds.remove(event.getStreamId());
        return keyId + "|" + (model == null ? "-" : model);
    }

    @Override
    public void onRow(String key, SpendAggregate row, long nowNanos) {
        Long previous = latest.put(key, row.getRequests());
        long added = row.getRequests() - (previous == null ? 0 : previous);
        Queue<Long> queue = sent.get(row.getKeyId() + "|" + row.getModel());
        for (long i = 0; i < added && queue != null; i++) {
            Long at = queue.poll();
            if (at == null) {
                break;
            }
            synchronized (micros) {
                micros.recordValue(Math.max(0, (nowNanos - at) / 1000));
            }
            matched++;
        }
        checkAllSeen();
    }

    /** Once sending has stopped: completes when every end sent has been seen in a row. */
    java.util.concurrent.CompletableFuture<Void> allSeen() {
        synchronized (this) {
            expectedEnds = ends.get();
        }
        checkAllSeen();
        return allSeen;
    }

    private synchronized void checkAllSeen() {
        if (matched >= expectedEnds) {
            allSeen.complete(null);
        }
    }

    long ends() {
        return ends.get();
    }

    long matched() {
        return matched;
    }

    Histogram histogram() {
        synchronized (micros) {
            return micros.copy();
        }
    }
}
