package io.streammeter.metering.query;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Requests from this instance's query API to another's. Each carries {@link QueryApi#LOCAL_HEADER}
 * and the admin token (the receiving instance honours the header only with it), and each ends
 * within {@code timeout}, connecting included: a hung peer costs a 502, never a stuck request.
 */
final class PeerClient {
    private final HttpClient http;
    private final AdminToken token;
    private final long timeoutMillis;

    /**
     * @param token the admin token; null with {@code auth.mode=none}
     */
    PeerClient(Vertx vertx, AdminToken token, Duration timeout) {
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.http =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setConnectTimeout(
                                        (int) Math.min(timeoutMillis, Integer.MAX_VALUE)));
        this.token = token;
    }

    /** GETs {@code uri} from {@code host}: its body when it answered 200, else a failed future. */
    Future<Buffer> get(HostInfo host, String uri) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(host.host())
                        .setPort(host.port())
                        .setURI(uri)
                        .setIdleTimeout(timeoutMillis)
                        .putHeader(QueryApi.LOCAL_HEADER, "1");
        if (token != null) {
            options.putHeader("Authorization", token.authorization());
        }
        return http.request(options)
                .compose(req -> req.send())
                .compose(
                        resp ->
                                resp.body()
                                        .compose(
                                                body ->
                                                        resp.statusCode() == 200
                                                                ? Future.succeededFuture(body)
                                                                : Future.failedFuture(
                                                                        peerError(
                                                                                host,
                                                                                resp.statusCode(),
                                                                                body))))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .recover(
                        e ->
                                Future.failedFuture(
                                        e instanceof ApiError
                                                ? e
                                                : ApiError.peerFailed(
                                                        host
                                                                + " did not answer: "
                                                                + e.getMessage())));
    }

    /** Another instance's answer as it was: status, {@code Retry-After} and body. */
    record Answer(int status, String retryAfter, Buffer body) {}

    /**
     * Sends {@code body} to {@code uri} of {@code host} and hands back whatever it answered, so the
     * caller can pass it on (a refusal is an answer, not a failure); fails only when the host did
     * not answer within the timeout.
     */
    Future<Answer> exchange(HostInfo host, HttpMethod method, String uri, Buffer body) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(method)
                        .setHost(host.host())
                        .setPort(host.port())
                        .setURI(uri)
                        .setIdleTimeout(timeoutMillis)
                        .putHeader(QueryApi.LOCAL_HEADER, "1")
                        .putHeader("content-type", "application/json");
        if (token != null) {
            options.putHeader("Authorization", token.authorization());
        }
        return http.request(options)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(
                        resp ->
                                resp.body()
                                        .map(
                                                b ->
                                                        new Answer(
                                                                resp.statusCode(),
                                                                resp.getHeader("Retry-After"),
                                                                b)))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .recover(
                        e ->
                                Future.failedFuture(
                                        ApiError.peerFailed(
                                                host + " did not answer: " + e.getMessage())));
    }

    private static ApiError peerError(HostInfo host, int status, Buffer body) {
        return status == 503
                ? ApiError.unavailable(host + " is not ready")
                : ApiError.peerFailed(host + " answered " + status + ": " + body);
    }

    void close() {
        http.close();
    }
}
