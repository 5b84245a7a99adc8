package io.streammeter.metering.domain;

import io.streammeter.avro.StreamChunk;

/**
 * What the chunks seen so far add up to. Usage is cumulative on the wire, so the one kept is the
 * usage of the highest sequence number that carried any, whatever order chunks arrived in.
 */
public record ChunkTotals(
        int count,
        long contentChars,
        long toolArgumentChars,
        long reasoningChars,
        String lastFinishReason,
        Tokens usage,
        long usageSequence) {

    public static final ChunkTotals NONE = new ChunkTotals(0, 0, 0, 0, null, null, -1);

    public ChunkTotals plus(StreamChunk chunk, long sequence) {
        boolean newerUsage = chunk.getUsage() != null && sequence > usageSequence;
        return new ChunkTotals(
                count + 1,
                contentChars + chunk.getContentChars(),
                toolArgumentChars + chunk.getToolArgumentChars(),
                reasoningChars + chunk.getReasoningChars(),
                chunk.getFinishReason() != null ? chunk.getFinishReason() : lastFinishReason,
                newerUsage ? Tokens.of(chunk.getUsage()) : usage,
                newerUsage ? sequence : usageSequence);
    }
}
