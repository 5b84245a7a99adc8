package io.streammeter.relay.shape;

import io.streammeter.avro.ApiShape;
import io.streammeter.relay.sse.SseEvent;
import io.vertx.core.MultiMap;

/**
 * Everything the relay needs to know about one API shape: where its key is, how its request is read
 * and rewritten, how usage is read out of its events, and how its clients expect errors. The
 * relay's forwarding, metering and outcome logic is shape-agnostic; a shape is one implementation
 * and one route ({@link OpenAiChatCompletions}, {@link AnthropicMessages}).
 */
public interface ApiShapeAdapter {

    /** The shape as recorded in {@code StreamStarted}; it also picks the route's upstream. */
    ApiShape shape();

    /** Path of the route under the upstream base URL, such as {@code /chat/completions}. */
    String upstreamPath();

    /** The caller's raw API key from the request headers, or null when there is none. */
    String apiKey(MultiMap headers);

    /** What a client without a key is told (401), naming the header this shape expects. */
    String missingKeyMessage();

    /** Replaces the caller's credentials in the upstream request's headers by the relay's key. */
    void replaceApiKey(MultiMap upstreamHeaders, String upstreamKey);

    /** How the errors the relay answers itself are written for this shape's clients. */
    ErrorFormat errorFormat();

    /**
     * Validates a request body, reads its dimensions, and rewrites it for the upstream (for OpenAI:
     * ask for usage in the stream).
     *
     * @throws InvalidRequestException when the body is not a valid request of this shape
     */
    RequestFacts readRequest(byte[] body) throws InvalidRequestException;

    /**
     * Reads one data event of a streamed response into {@code out} (reset first). Reads {@code
     * soFar} only, so cumulative shapes can merge partial usage reports.
     */
    void readEvent(SseEvent event, StreamUsage soFar, ChunkFacts out);

    /** Reads a complete non-streamed response body into {@code out} (reset first). */
    void readBody(byte[] body, int length, StreamUsage soFar, ChunkFacts out);

    /** The message of an upstream error body, or null when it has none. */
    String errorMessage(byte[] body, int length);

    /**
     * Whether an event whose data so far is {@code data[0..length)} may still turn out {@link
     * ChunkFacts#removable() removable}. While it may, the relay holds that one event's bytes back;
     * once this says no, they flow again. Wrong "yes" answers only delay an event until it is
     * complete; a wrong "no" would let a removable event through, so answer yes when unsure.
     */
    boolean mayBeRemovable(byte[] data, int length);
}
