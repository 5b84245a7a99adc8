package io.streammeter.relay.shape;

import io.streammeter.avro.Usage;

/**
 * What a stream has said so far, folded from its {@link ChunkFacts}: the numbers {@code
 * StreamEnded} carries. One per stream, confined to its event loop.
 */
public final class StreamUsage {
    private Usage usage;
    private String modelReported;
    private String finishReason;
    private String errorMessage;
    private int chunkCount;
    private long contentChars;
    private long toolArgumentChars;
    private long reasoningChars;
    private boolean terminated;

    /**
     * Folds one event in. Usage replaces what came before (upstreams report it cumulatively, so the
     * last report is the total; summing would double count).
     *
     * @param countAsChunk false for a non-streamed body, which is no data event
     */
    public void add(ChunkFacts chunk, boolean countAsChunk) {
        if (chunk.terminal) {
            terminated = true;
            return;
        }
        if (chunk.keepAlive) {
            return;
        }
        if (countAsChunk) {
            chunkCount++;
        }
        contentChars += chunk.contentChars;
        toolArgumentChars += chunk.toolArgumentChars;
        reasoningChars += chunk.reasoningChars;
        if (chunk.finishReason != null) {
            finishReason = chunk.finishReason;
        }
        if (chunk.model != null) {
            modelReported = chunk.model;
        }
        if (chunk.usage != null) {
            usage = chunk.usage;
        }
        if (chunk.errorMessage != null) {
            errorMessage = chunk.errorMessage;
        }
        if (chunk.last) {
            terminated = true;
        }
    }

    public Usage usage() {
        return usage;
    }

    public String modelReported() {
        return modelReported;
    }

    public String finishReason() {
        return finishReason;
    }

    /** The message of the last error event, or null when the stream carried none. */
    public String errorMessage() {
        return errorMessage;
    }

    public int chunkCount() {
        return chunkCount;
    }

    public long contentChars() {
        return contentChars;
    }

    public long toolArgumentChars() {
        return toolArgumentChars;
    }

    public long reasoningChars() {
        return reasoningChars;
    }

    /** Whether the upstream sent its end-of-stream marker (or its last chunk). */
    public boolean terminated() {
        return terminated;
    }

    /**
     * Whether the upstream finished the stream: its end marker, or a finish reason (some compatible
     * upstreams end the body after the finish chunk without {@code [DONE]}; an Anthropic stream
     * after {@code message_delta} with its {@code stop_reason} but without {@code message_stop}).
     */
    public boolean finished() {
        return terminated || finishReason != null;
    }
}
