package io.streammeter.relay.config;

/** How the relay treats a caller's key. */
public enum AuthMode {
    /**
     * The caller's key is forwarded (or replaced by {@code upstream.api-key}) and metered under its
     * key id; nobody is authenticated.
     */
    PASSTHROUGH,
    /**
     * Callers present platform keys from the {@code <prefix>keys} registry; unknown and revoked
     * keys get 401, and the upstream gets the key's named credential, never the caller's key.
     */
    PLATFORM
}
