package io.streammeter.relay.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks metering to reserve a request's worst case before the upstream is contacted ({@code POST
 * <budget.url>/v1/budget/reservations}, the admin token of {@code budget.token-file}). Metering
 * holds every reservation in one place, so relays cannot each spend the same room. A reservation
 * whose answer is lost is not retried: the relay refuses the request, and the REJECTED line item of
 * the same stream id releases whatever metering held.
 */
public final class BudgetClient {
    private static final String PATH = "/v1/budget/reservations";

    /** What metering answered. */
    public sealed interface Verdict {}

    /** Admitted: the worst case is held until the stream's line item. */
    public record Reserved() implements Verdict {}

    /** Refused by a budget: metering's message (no key ids) and its {@code Retry-After}. */
    public record Refused(String message, String retryAfter) implements Verdict {}

    /** No answer that decides: metering unreachable, not ready, or misconfigured. */
    public record Undecided(String reason) implements Verdict {}

    private final HttpClient http;
    private final String uri;
    private final String authorization;
    private final long timeoutMillis;

    /**
     * @param url metering's query API, such as {@code http://metering:8081}
     * @param token the admin token; null with metering's {@code auth.mode=none}
     */
    public BudgetClient(Vertx vertx, URI url, String token, Duration timeout) {
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.http =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setConnectTimeout((int) Math.min(timeoutMillis, Integer.MAX_VALUE))
                                .setKeepAlive(true));
        String base = url.toString();
        this.uri = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH;
        this.authorization = token == null ? null : "Bearer " + token;
    }

    /**
     * Reserves for stream {@code streamId} of key {@code keyId}. Never fails: see {@link
     * Undecided}.
     */
    public Future<Verdict> reserve(
            String streamId, String keyId, String model, RequestBounds bounds) {
        JsonObject body = new JsonObject();
        body.put("stream_id", streamId);
        body.put("key_id", keyId);
        body.put("model", model);
        body.put("body_bytes", bounds.bodyBytes());
        body.put("max_output_tokens", bounds.maxOutputTokens());
        body.put("choices", bounds.choices());
        Buffer payload = body.toBuffer();
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setAbsoluteURI(uri)
                        .setIdleTimeout(timeoutMillis)
                        .putHeader("content-type", "application/json");
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        return http.request(options)
                .compose(req -> req.send(payload))
                .compose(
                        resp ->
                                resp.body()
                                        .map(
                                                b ->
                                                        verdict(
                                                                resp.statusCode(),
                                                                resp.getHeader("Retry-After"),
                                                                b)))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .otherwise(e -> new Undecided("metering did not answer: " + e.getMessage()));
    }

    static Verdict verdict(int status, String retryAfter, Buffer body) {
        if (status == 200) {
            return new Reserved();
        }
        String message = message(body);
        if (status == 429) {
            return new Refused(
                    message == null ? "The budget of this key is exhausted." : message, retryAfter);
        }
        return new Undecided(
                "metering answered " + status + (message == null ? "" : ": " + message));
    }

    private static String message(Buffer body) {
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            return error == null ? null : error.getString("message");
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    public Future<Void> close() {
        return http.close();
    }
}
