package io.streammeter.relay.stream;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.shape.ChunkFacts;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.schemas.EventIds;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one stream, in contract order: {@code StreamStarted} with sequence 0, one {@code
 * StreamChunk} per data event, and exactly one {@code StreamEnded} whatever calls {@link #end}
 * first. Confined to the stream's event loop.
 */
public final class StreamRecorder {
    /**
     * One line per request, whatever ended it: ids, outcome, status, timings; never a key or a
     * body. Turned off by {@code access-log=false} or by this logger's level.
     */
    private static final Logger ACCESS = LoggerFactory.getLogger("io.streammeter.relay.access");

    private final String streamId;
    private final String instanceId;
    private final Clock clock;
    private final EventPublisher publisher;
    private final RelayMetrics metrics;
    private final RelayMetrics.Api api;
    private final ApiShape shape;
    private final long acceptedNanos;
    private final boolean accessLog;
    private long sequence;
    private int chunksShed;
    private boolean started;
    private boolean ended;
    private long firstByteNanos;
    private String keyId;
    private String model;

    public StreamRecorder(
            String streamId,
            String instanceId,
            Clock clock,
            EventPublisher publisher,
            RelayMetrics metrics,
            ApiShape shape,
            long acceptedNanos,
            boolean accessLog) {
        this.streamId = streamId;
        this.accessLog = accessLog;
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
        this.model = started.getModelRequested();
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
        if (accessLog && ACCESS.isInfoEnabled()) {
            ACCESS.info(
                    "stream={} key={} api={} model={} outcome={} upstream_status={} chunks={}"
                            + " first_chunk_ms={} duration_ms={}",
                    streamId,
                    keyId,
                    shape.name().toLowerCase(Locale.ROOT),
                    printable(model),
                    outcome.tag(),
                    upstreamStatus == null ? "-" : upstreamStatus,
                    usage.chunkCount(),
                    firstByteNanos == 0 ? "-" : (firstByteNanos - acceptedNanos) / 1_000_000,
                    (now - acceptedNanos) / 1_000_000);
        }
        return true;
    }

    /** A client's string as one short line: no line breaks or controls to forge log lines. */
    static String printable(String text) {
        if (text == null) {
            return "-";
        }
        String cut = text.length() <= 100 ? text : text.substring(0, 100);
        return cut.codePoints().anyMatch(Character::isISOControl)
                ? cut.replaceAll("\\p{Cntrl}", "?")
                : cut;
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
