package io.streammeter.metering.domain;

import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import java.time.Duration;

/**
 * The fold of one stream's events: what its start, chunks and end said, which sequence numbers
 * arrived, and the wall-clock times the orphan and gap timers run on.
 *
 * @param start null until the {@code StreamStarted} arrives
 * @param end null until the {@code StreamEnded} arrives
 * @param lastSeenAt wall-clock millis when metering last folded an event of this stream
 * @param orphanedAt wall-clock millis when the stream was declared orphaned; null if it was not
 * @param indexedDeadline the deadline under which the stream sits in the deadline index
 */
public record OpenStream(
        String streamId,
        StreamStart start,
        StreamEnd end,
        SequenceTracker seen,
        ChunkTotals chunks,
        long lastSeenAt,
        Long orphanedAt,
        long indexedDeadline) {

    public static OpenStream empty(String streamId) {
        return new OpenStream(
                streamId, null, null, SequenceTracker.EMPTY, ChunkTotals.NONE, 0, null, 0);
    }

    /** Whether {@code event} would change this fold, and if not, why. */
    public Admission admit(StreamEvent event) {
        long sequence = event.getSequence();
        if (seen.contains(sequence)) {
            return Admission.DUPLICATE;
        }
        boolean isEnd = event.getPayload() instanceof StreamEnded;
        if (end != null && (isEnd || sequence > end.sequence())) {
            return Admission.AFTER_END;
        }
        if (start != null && event.getPayload() instanceof StreamStarted) {
            return Admission.DUPLICATE;
        }
        return Admission.NEW;
    }

    /** This fold with {@code event} added, seen at wall-clock {@code now}. Admit it first. */
    public OpenStream fold(StreamEvent event, long now) {
        long sequence = event.getSequence();
        long eventTime = event.getEventTime().toEpochMilli();
        StreamStart nextStart = start;
        StreamEnd nextEnd = end;
        ChunkTotals nextChunks = chunks;
        Object payload = event.getPayload();
        if (payload instanceof StreamStarted started) {
            nextStart = StreamStart.of(started, eventTime);
        } else if (payload instanceof StreamChunk chunk) {
            nextChunks = chunks.plus(chunk, sequence);
        } else if (payload instanceof StreamEnded ended) {
            nextEnd = StreamEnd.of(ended, sequence, eventTime);
        }
        return new OpenStream(
                streamId,
                nextStart,
                nextEnd,
                seen.with(sequence),
                nextChunks,
                now,
                orphanedAt,
                indexedDeadline);
    }

    /** Start and end seen, and every sequence number between them. */
    public boolean isComplete() {
        return start != null && end != null && seen.missingBelow(end.sequence()) == 0;
    }

    /**
     * When the stream stops waiting: {@code orphanTimeout} after its last event if its end never
     * came, {@code gapTimeout} after its last event if the end came but earlier events are still
     * missing. Never measured from before {@code notBefore} (the processor's start), so a restart
     * gives every stream a full timeout to catch up from the backlog.
     */
    public long deadline(Duration orphanTimeout, Duration gapTimeout, long notBefore) {
        long base = Math.max(lastSeenAt, notBefore);
        return base + (end != null ? gapTimeout : orphanTimeout).toMillis();
    }

    /** Sequence numbers the pipeline lost: holes below the end, or below the highest seen. */
    public long sequenceGaps() {
        return seen.missingBelow(end != null ? end.sequence() : seen.highWaterMark());
    }

    public OpenStream orphaned(long now) {
        return new OpenStream(streamId, start, end, seen, chunks, lastSeenAt, now, indexedDeadline);
    }

    /**
     * This fold as a closed stream's marker keeps it for the dedup retention: at most {@code
     * maxRuns} runs of sequence numbers (the smallest holes given up, still counted as gaps).
     */
    public OpenStream compacted(int maxRuns) {
        return new OpenStream(
                streamId,
                start,
                end,
                seen.bounded(maxRuns),
                chunks,
                lastSeenAt,
                orphanedAt,
                indexedDeadline);
    }

    /**
     * Roughly the bytes this fold takes on the heap: object headers and fields, strings at one byte
     * a character (compact strings), the runs of sequence numbers. What the open-fold cache is
     * bounded by; an estimate, not a measurement.
     */
    public long estimatedBytes() {
        long bytes = 200 + text(streamId) + 16L * seen.runCount();
        if (chunks.usage() != null) {
            bytes += 64;
        }
        if (start != null) {
            bytes +=
                    120
                            + text(start.keyId())
                            + text(start.modelRequested())
                            + text(start.user())
                            + text(start.upstream());
            for (var tag : start.tags().entrySet()) {
                bytes += 48 + text(tag.getKey()) + text(tag.getValue());
            }
        }
        if (end != null) {
            bytes +=
                    (end.usage() != null ? 200 : 136)
                            + text(end.modelReported())
                            + text(end.finishReason())
                            + text(end.errorText());
        }
        return bytes;
    }

    private static long text(String s) {
        return s == null ? 0 : 48 + s.length();
    }

    public OpenStream indexedAt(long deadline) {
        return new OpenStream(streamId, start, end, seen, chunks, lastSeenAt, orphanedAt, deadline);
    }
}
