package io.streammeter.relay.upstream;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the relay. End-to-end headers pass both ways (so scripted upstreams such as
 * the simulator still see their {@code X-Sim-Script}); hop-by-hop headers (RFC 9110 §7.6.1, and any
 * the {@code Connection} header names) never do. Length and encoding are the relay's own business
 * on each leg, and the operator's tag headers stay with the relay.
 */
public final class ForwardedHeaders {
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "keep-alive",
                    "proxy-authenticate",
                    "proxy-authorization",
                    "proxy-connection",
                    "te",
                    "trailer",
                    "transfer-encoding",
                    "upgrade");
    private static final Set<String> REQUEST_OWN =
            Set.of("host", "content-length", "accept-encoding", "expect");

    /**
     * Headers by which a caller picks which of the key owner's organizations or projects pays. When
     * the relay sends the operator's own key, the operator chooses, not the caller.
     */
    private static final Set<String> BILLING_CHOICE =
            Set.of("openai-organization", "openai-project");

    private ForwardedHeaders() {}

    /**
     * Client request headers to send upstream, minus the operator's tag headers, and minus the
     * caller's billing choices when {@code operatorKey} (the relay sends its own upstream key).
     */
    public static MultiMap request(
            MultiMap client, Map<String, String> tagHeaders, boolean operatorKey) {
        Set<String> named = connectionNamed(client);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || REQUEST_OWN.contains(name) || named.contains(name)) {
                continue;
            }
            if (isTagHeader(name, tagHeaders) || (operatorKey && BILLING_CHOICE.contains(name))) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        return out;
    }

    /** Upstream response headers to give the client; Content-Length only when kept. */
    public static void response(MultiMap upstream, MultiMap client, boolean keepLength) {
        Set<String> named = connectionNamed(upstream);
        for (Map.Entry<String, String> header : upstream) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || named.contains(name)) {
                continue;
            }
            if (name.equals("content-length") && !keepLength) {
                continue;
            }
            client.add(header.getKey(), header.getValue());
        }
    }

    private static boolean isTagHeader(String lowerName, Map<String, String> tagHeaders) {
        for (String header : tagHeaders.values()) {
            if (header.equalsIgnoreCase(lowerName)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> connectionNamed(MultiMap headers) {
        String connection = headers.get("connection");
        if (connection == null) {
            return Set.of();
        }
        java.util.HashSet<String> named = new java.util.HashSet<>();
        for (String token : connection.split(",")) {
            named.add(token.trim().toLowerCase(Locale.ROOT));
        }
        return named;
    }
}
