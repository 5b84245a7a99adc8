package io.streammeter.relay.shape;

import io.vertx.core.buffer.Buffer;

/**
 * What the relay learned from a valid request body, and the body to send upstream.
 *
 * @param model the {@code model} field
 * @param user the {@code user} field, or null
 * @param streaming whether the client asked for a streamed response
 * @param clientRequestedUsage whether the client itself asked for usage in the stream
 * @param usageAdded whether the relay added the usage request, so the client must not see the
 *     usage-only event it causes
 * @param promptChars characters (code points) of prompt text
 * @param upstreamBody the body to forward: the client's bytes, with at most the usage request
 *     spliced in
 */
public record RequestFacts(
        String model,
        String user,
        boolean streaming,
        boolean clientRequestedUsage,
        boolean usageAdded,
        long promptChars,
        Buffer upstreamBody) {}
