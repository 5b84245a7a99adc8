package io.streammeter.relay.stream;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.usage.ChunkFacts;
import io.streammeter.relay.usage.RequestFacts;
import io.streammeter.relay.usage.StreamUsage;
import io.streammeter.schemas.EventIds;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one stream, in contract order: {@code StreamStarted} with sequence 0, one {@code
 * StreamChunk} per data event, and exactly one {@code StreamEnded} whatever calls {@link #end}
 * first. Confined to the stream's event loop.
 */
public final class StreamRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRecorder.class);

    private final String streamId;
    private final String instanceId;
    private final Clock clock;
    private final EventPublisher publisher;
    private final RelayMetrics metrics;
    private final RelayMetrics.Api api;
    private final ApiShape shape;
    private final long acceptedNanos;
    private long sequence;
    private int chunksShed;
    private boolean started;
    private boolean ended;
    private long firstByteNanos;
    private String keyId;

    public StreamRecorder(
            String streamId,
            String instanceId,
            Clock clock,
            EventPublisher publisher,
            RelayMetrics metrics,
            ApiShape shape,
            long acceptedNanos) {
        this.streamId = streamId;
        this.instanceId = instanceId;
        this.clock = clock;
        this.publisher = publisher;
        this.metrics = metrics;
        this.api = metrics.api(shape);
        this.shape = shape;
        this.acceptedNanos = acceptedNanos;
    }

    public String streamId() {
        return streamId;
    }

    /** Publishes {@code StreamStarted}; for a rejected request {@code facts} is null. */
    public void start(
            String keyId, RequestFacts facts, Map<String, String> tags, String upstreamName) {
        StreamStarted started =
                new StreamStarted(
                        keyId,
                        shape,
                        facts == null ? null : facts.model(),
                        facts == null ? null : facts.user(),
                        Map.copyOf(tags),
                        facts != null && facts.streaming(),
                        facts != null && facts.clientRequestedUsage(),
                        facts == null ? 0L : facts.promptChars(),
                        upstreamName);
        this.started = true;
        this.keyId = keyId;
        metrics.streamStarted();
        publish(started);
    }

    /** Notes the first upstream body byte, for time to first chunk. */
    public void firstByte(long nanos) {
        if (firstByteNanos == 0) {
            firstByteNanos = nanos;
            metrics.timeToFirstChunk(nanos - acceptedNanos);
        }
    }

    /** Publishes a {@code StreamChunk}; {@code chunkIndex} counts from 0. */
    public void chunk(int chunkIndex, ChunkFacts chunk, String raw) {
        api.chunk();
        publish(
                new StreamChunk(
                        chunkIndex,
                        chunk.byteLength(),
                        chunk.contentChars(),
                        chunk.toolArgumentChars(),
                        chunk.reasoningChars(),
                        chunk.finishReason(),
                        chunk.usage() != null,
                        chunk.usage(),
                        raw));
    }

    /**
     * Publishes {@code StreamEnded} the first time it is called; later calls change nothing.
     *
     * @return whether this call ended the stream
     */
    public boolean end(
            StreamOutcome outcome, StreamUsage usage, Integer upstreamStatus, String errorText) {
        if (ended) {
            return false;
        }
        ended = true;
        long now = System.nanoTime();
        publish(
                new StreamEnded(
                        outcome.avro(),
                        usage.usage(),
                        usage.modelReported(),
                        usage.finishReason(),
                        usage.chunkCount(),
                        usage.contentChars(),
                        usage.toolArgumentChars(),
                        usage.reasoningChars(),
                        firstByteNanos == 0 ? null : (firstByteNanos - acceptedNanos) / 1_000_000,
                        (now - acceptedNanos) / 1_000_000,
                        upstreamStatus,
                        errorText,
                        chunksShed));
        api.streamEnded(outcome, started);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Stream {} of key {} ended {} after {} chunks (upstream status {}, error {})",
                    streamId,
                    keyId,
                    outcome,
                    usage.chunkCount(),
                    upstreamStatus,
                    errorText);
        }
        return true;
    }

    public boolean ended() {
        return ended;
    }

    /**
     * Publishes the next event; a shed chunk takes no sequence number, so metering sees no hole.
     */
    private void publish(Object payload) {
        long seq = sequence;
        boolean accepted =
                publisher.publish(
                        new StreamEvent(
                                EventIds.of(streamId, seq),
                                streamId,
                                seq,
                                Instant.ofEpochMilli(clock.millis()),
                                instanceId,
                                payload));
        if (accepted) {
            sequence++;
        } else {
            chunksShed++;
        }
    }
}
