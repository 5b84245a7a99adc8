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

    private ForwardedHeaders() {}

    /** Client request headers to send upstream, minus the tag headers in {@code dropped}. */
    public static MultiMap request(MultiMap client, Map<String, String> tagHeaders) {
        Set<String> named = connectionNamed(client);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || REQUEST_OWN.contains(name) || named.contains(name)) {
                continue;
            }
            if (isTagHeader(name, tagHeaders)) {
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
