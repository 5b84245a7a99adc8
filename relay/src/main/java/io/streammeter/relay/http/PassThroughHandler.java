package io.streammeter.relay.http;

import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.metrics.RelayMetrics;
import io.streammeter.relay.shape.ApiError;
import io.streammeter.relay.shape.Credentials;
import io.streammeter.relay.shape.ErrorFormat;
import io.streammeter.relay.shape.OpenAiChunkReader;
import io.streammeter.relay.upstream.ForwardedHeaders;
import io.streammeter.relay.upstream.UpstreamClient;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;

/**
 * A path under {@code /v1/} the relay forwards without metering ({@code routes.other=pass}, and
 * always {@code /v1/responses/{id}...}): the request and the answer are piped through as they come,
 * the key is replaced like on a metered route, and a counter per path family says how much went by
 * unmetered. The family is the first path segment when it is a known OpenAI one, else {@code
 * other}: raw paths carry ids and would make unbounded metric series.
 */
public final class PassThroughHandler implements Handler<HttpServerRequest> {
    /** OpenAI's top-level path families; anything else is counted as {@code other}. */
    static final Set<String> FAMILIES =
            Set.of(
                    "assistants",
                    "audio",
                    "batches",
                    "chat",
                    "containers",
                    "conversations",
                    "evals",
                    "files",
                    "fine_tuning",
                    "images",
                    "models",
                    "moderations",
                    "realtime",
                    "responses",
                    "threads",
                    "uploads",
                    "vector_stores");

    private final RelayConfig config;
    private final UpstreamClient upstream;
    private final RelayMetrics metrics;

    public PassThroughHandler(RelayConfig config, UpstreamClient upstream, RelayMetrics metrics) {
        this.config = config;
        this.upstream = upstream;
        this.metrics = metrics;
    }

    /** The metric tag of a path under {@code /v1/}: a known first segment, else "other". */
    static String family(String path) {
        String rest = path.substring("/v1/".length());
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return FAMILIES.contains(first) ? first : "other";
    }

    @Override
    public void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        String key = Credentials.bearer(request.headers());
        if (key == null) {
            Responses.error(
                    response,
                    ApiError.of(ApiError.Kind.UNAUTHENTICATED, OpenAiChunkReader.MISSING_KEY),
                    ErrorFormat.OPENAI);
            return;
        }
        metrics.passedThrough(family(request.path()));
        String upstreamKey = config.upstreamApiKey();
        MultiMap headers =
                ForwardedHeaders.request(
                        request.headers(), config.tagHeaders(), upstreamKey != null);
        if (upstreamKey != null) {
            Credentials.setBearer(headers, upstreamKey);
        }
        request.pause();
        upstream.open(
                        request.method(),
                        request.path().substring("/v1".length()),
                        request.query(),
                        headers)
                .compose(upstreamRequest -> upstreamRequest.send(request))
                .onComplete(
                        answer -> {
                            if (answer.succeeded()) {
                                forward(answer.result(), response);
                            } else if (!response.headWritten()) {
                                Responses.error(
                                        response,
                                        ApiError.of(
                                                ApiError.Kind.UPSTREAM_UNREACHABLE,
                                                "The upstream could not be reached."),
                                        ErrorFormat.OPENAI);
                            }
                        });
    }

    private static void forward(HttpClientResponse answer, HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        ForwardedHeaders.response(answer.headers(), response.headers(), false);
        response.setChunked(!response.headers().contains(HttpHeaders.CONTENT_LENGTH));
        answer.pipeTo(response);
    }
}
