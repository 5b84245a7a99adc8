package io.streammeter.relay.shape;

import io.streammeter.avro.Usage;

/**
 * What one data event (or one non-streamed body) said, as an adapter reads it. Mutable and reused
 * for every event of a stream, so the hot path allocates nothing for it.
 */
public final class ChunkFacts {
    int byteLength;
    int contentChars;
    int toolArgumentChars;
    int reasoningChars;
    String finishReason;
    String model;
    Usage usage;
    boolean removable;
    boolean terminal;
    boolean last;
    boolean keepAlive;
    boolean malformed;
    String errorMessage;

    /** Clears every fact before the next event of {@code byteLength} bytes is read. */
    public void reset(int byteLength) {
        this.byteLength = byteLength;
        contentChars = 0;
        toolArgumentChars = 0;
        reasoningChars = 0;
        finishReason = null;
        model = null;
        usage = null;
        removable = false;
        terminal = false;
        last = false;
        keepAlive = false;
        malformed = false;
        errorMessage = null;
    }

    public void addContentChars(int chars) {
        contentChars += chars;
    }

    public void addToolArgumentChars(int chars) {
        toolArgumentChars += chars;
    }

    public void addReasoningChars(int chars) {
        reasoningChars += chars;
    }

    public void setFinishReason(String finishReason) {
        this.finishReason = finishReason;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public void setUsage(Usage usage) {
        this.usage = usage;
    }

    public void setRemovable(boolean removable) {
        this.removable = removable;
    }

    public void setTerminal() {
        terminal = true;
    }

    /** Marks a data event that is a chunk and also the stream's last one (Responses API). */
    public void setLast() {
        last = true;
    }

    public void setKeepAlive() {
        keepAlive = true;
    }

    public void setMalformed() {
        malformed = true;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    /** Bytes of the event's data. */
    public int byteLength() {
        return byteLength;
    }

    /** Characters (code points) of generated content, over all choices. */
    public int contentChars() {
        return contentChars;
    }

    /** Characters of tool-call argument fragments. */
    public int toolArgumentChars() {
        return toolArgumentChars;
    }

    /** Characters of reasoning text. */
    public int reasoningChars() {
        return reasoningChars;
    }

    /** The finish reason this event carried, or null. */
    public String finishReason() {
        return finishReason;
    }

    /** The model the event named when it differs from the one already known, else null. */
    public String model() {
        return model;
    }

    /** The stream's usage as of this event when the event carried usage, else null. */
    public Usage usage() {
        return usage;
    }

    /**
     * Whether the relay removes this event from the client's stream when the relay itself asked for
     * usage: an OpenAI chunk with {@code "choices": []} and a usage object.
     */
    public boolean removable() {
        return removable;
    }

    /**
     * Whether this event is the shape's end-of-stream marker (OpenAI {@code [DONE]}, Anthropic
     * {@code message_stop}): it ends the stream and is no chunk.
     */
    public boolean terminal() {
        return terminal;
    }

    /**
     * Whether this chunk is the stream's last event, as the Responses API's {@code
     * response.completed}: it carries data and ends the stream, where a {@link #terminal()} marker
     * only ends it.
     */
    public boolean last() {
        return last;
    }

    /**
     * Whether this event says nothing about the stream (Anthropic {@code ping}): forwarded, but
     * neither a chunk nor an end.
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Whether this event is published as a {@code StreamChunk}. */
    public boolean isChunk() {
        return !terminal && !keepAlive;
    }

    /** Whether the data could not be read (not JSON, or cut at the size limit). */
    public boolean malformed() {
        return malformed;
    }

    /** The message of an error the upstream reported in the stream, or null. */
    public String errorMessage() {
        return errorMessage;
    }
}
