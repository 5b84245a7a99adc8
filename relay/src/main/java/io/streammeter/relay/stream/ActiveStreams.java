package io.streammeter.relay.stream;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The streams in flight on one event loop: swept for idle upstreams, ended together at shutdown.
 * Confined to that event loop, like the streams themselves.
 */
public final class ActiveStreams {
    private final Vertx vertx;
    private final Set<StreamExchange> streams = new LinkedHashSet<>();
    private Runnable onEmpty;

    public ActiveStreams(Vertx vertx) {
        this.vertx = vertx;
    }

    void add(StreamExchange stream) {
        streams.add(stream);
    }

    void remove(StreamExchange stream) {
        if (streams.remove(stream) && streams.isEmpty() && onEmpty != null) {
            // Later, not now: the stream that just ended still has its last bytes to write.
            Runnable action = onEmpty;
            onEmpty = null;
            vertx.runOnContext(v -> action.run());
        }
    }

    public int size() {
        return streams.size();
    }

    /** Ends every stream whose upstream has been silent too long. */
    public void sweep(long nowNanos) {
        for (StreamExchange stream : new ArrayList<>(streams)) {
            stream.checkIdle(nowNanos);
        }
    }

    /** Ends every stream still in flight because the relay is stopping. */
    public void shutdownAll() {
        for (StreamExchange stream : new ArrayList<>(streams)) {
            stream.shutdown();
        }
    }

    /** Runs {@code action} once no stream is left (at once if none is). */
    public void whenEmpty(Runnable action) {
        if (streams.isEmpty()) {
            action.run();
        } else {
            onEmpty = action;
        }
    }
}
