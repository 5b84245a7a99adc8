package io.streammeter.relay.config;

import java.net.URI;

/**
 * One configured upstream: what a route forwards to.
 *
 * @param name recorded in {@code StreamStarted.upstream}; never a URL
 * @param baseUrl base URL, path included; the route's path is appended
 * @param apiKey key that replaces the client's, or null to pass the client's through
 */
public record UpstreamEndpoint(String name, URI baseUrl, String apiKey) {

    /** Never prints the key. */
    @Override
    public String toString() {
        return name + " " + baseUrl + (apiKey == null ? "" : " (own key)");
    }
}
