package io.streammeter.metering.domain;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamEnded;

/**
 * What a stream's {@code StreamEnded} told, as kept in the fold. {@code chunksShed}: chunk events
 * the relay did not publish (its spool was full); they count as lost events on the line item.
 */
public record StreamEnd(
        long sequence,
        Outcome outcome,
        Tokens usage,
        String modelReported,
        String finishReason,
        int chunkCount,
        long contentChars,
        long toolArgumentChars,
        long reasoningChars,
        long durationMillis,
        Integer upstreamStatus,
        String errorText,
        long endedAt,
        int chunksShed) {

    public static StreamEnd of(StreamEnded ended, long sequence, long eventTime) {
        return new StreamEnd(
                sequence,
                ended.getOutcome(),
                Tokens.of(ended.getUsage()),
                ended.getModelReported(),
                ended.getFinishReason(),
                ended.getChunkCount(),
                ended.getContentChars(),
                ended.getToolArgumentChars(),
                ended.getReasoningChars(),
                ended.getDurationMillis(),
                ended.getUpstreamStatus(),
                ended.getErrorText(),
                eventTime,
                ended.getChunksShed());
    }
}
