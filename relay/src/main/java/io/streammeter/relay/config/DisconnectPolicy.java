package io.streammeter.relay.config;

/** What the relay does with the upstream when the client goes away mid-stream. */
public enum DisconnectPolicy {
    /**
     * Keep reading the upstream, up to the drain timeout, so its usage still arrives and the stream
     * is billed exactly. Costs upstream tokens the client never sees.
     */
    DRAIN,
    /** Close the upstream at once: cheaper, but usage is then missing and the stream flagged. */
    CANCEL
}
