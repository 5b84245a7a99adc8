package io.streammeter.bench.topology;

import io.streammeter.avro.SpendAggregate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Decides when {@code spend-hourly} is complete: the last row of every key, model and hour, added
 * up, counts as many requests as streams were loaded.
 */
final class Completion implements SpendWatcher.Listener {
    private final long expectedStreams;
    private final Map<String, Long> latest = new HashMap<>();
    private final CompletableFuture<Long> doneAt = new CompletableFuture<>();
    private volatile long requests;
    private volatile long rows;

    Completion(long expectedStreams) {
        this.expectedStreams = expectedStreams;
    }

    @Override
    public void onRow(String key, SpendAggregate row, long nowNanos) {
        Long previous = latest.put(key, row.getRequests());
        requests += row.getRequests() - (previous == null ? 0 : previous);
        rows++;
        if (requests >= expectedStreams) {
            doneAt.complete(nowNanos);
        }
    }

    /** When the rows first added up to every stream (System.nanoTime). */
    CompletableFuture<Long> doneAt() {
        return doneAt;
    }

    /** Requests the rows add up to now; more than the streams loaded would be double counting. */
    long requests() {
        return requests;
    }

    long rows() {
        return rows;
    }
}
