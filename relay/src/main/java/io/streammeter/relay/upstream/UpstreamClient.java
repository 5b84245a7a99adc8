package io.streammeter.relay.upstream;

import io.streammeter.relay.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * The HTTP client to one configured upstream (one per API shape). Host, port, scheme and base path
 * come from configuration only; a request can choose nothing but the route's path and its query
 * string. Responses compressed with gzip or deflate are decoded here, so metering reads plain text
 * and the client receives it uncompressed (a form every client accepts).
 */
public final class UpstreamClient {
    private final HttpClient client;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;

    /**
     * @param url the upstream's base URL; timeouts and pool size come from {@code config}
     */
    public UpstreamClient(Vertx vertx, RelayConfig config, URI url) {
        this.ssl = url.getScheme().equals("https");
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
        this.basePath = url.getRawPath() == null ? "" : url.getRawPath();
        HttpClientOptions options =
                new HttpClientOptions()
                        .setSsl(ssl)
                        .setConnectTimeout((int) config.upstreamConnectTimeout().toMillis())
                        .setDecompressionSupported(true)
                        .setKeepAlive(true)
                        .setTcpNoDelay(true);
        if (ssl) {
            options.setVerifyHost(true).setForceSni(true);
        }
        this.client =
                vertx.httpClientBuilder()
                        .with(options)
                        .with(new PoolOptions().setHttp1MaxSize(config.upstreamMaxConnections()))
                        .build();
    }

    /**
     * Opens a POST to {@code path} under the base URL; the future fails when no connection could be
     * had (refused, unresolvable, connect timeout, TLS failure).
     */
    public Future<HttpClientRequest> open(String path, String query, MultiMap headers) {
        return open(HttpMethod.POST, path, query, headers);
    }

    /** Opens a request of any method, for the paths the relay forwards unmetered. */
    public Future<HttpClientRequest> open(
            HttpMethod method, String path, String query, MultiMap headers) {
        String uri = basePath + path + (query == null || query.isEmpty() ? "" : "?" + query);
        return client.request(
                new RequestOptions()
                        .setMethod(method)
                        .setHost(host)
                        .setPort(port)
                        .setSsl(ssl)
                        .setURI(uri)
                        .setHeaders(headers));
    }

    public Future<Void> close() {
        return client.close();
    }
}
