package io.streammeter.relay.http;

import io.streammeter.relay.auth.KeyIds;
import io.streammeter.relay.auth.SecretScrubber;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.keys.Admission;
import io.streammeter.relay.keys.BudgetGate;
import io.streammeter.relay.metrics.StreamOutcome;
import io.streammeter.relay.publish.EventPublisher;
import io.streammeter.relay.shape.ApiError;
import io.streammeter.relay.shape.ApiShapeAdapter;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import io.streammeter.relay.shape.StreamUsage;
import io.streammeter.relay.stream.StreamExchange;
import io.streammeter.relay.stream.StreamIds;
import io.streammeter.relay.stream.StreamRecorder;
import io.streammeter.relay.stream.StreamSettings;
import io.streammeter.relay.upstream.ForwardedHeaders;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One API route, whatever its shape ({@code POST /v1/chat/completions}, {@code POST /v1/messages}):
 * checks credentials, reads and validates the body, publishes {@code StreamStarted}, then hands the
 * request to a {@link StreamExchange}. A refused body still gets a start and a {@code REJECTED}
 * ending; a request without credentials gets 401 and no event, since it names nobody to bill. What
 * differs between shapes is the {@link ApiShapeAdapter} and the upstream in the {@link
 * StreamSettings}.
 */
public final class ApiHandler implements Handler<HttpServerRequest> {
    private static final int MAX_TAG_CHARS = 128;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiHandler.class);

    private final RelayConfig config;
    private final StreamSettings settings;
    private final ApiShapeAdapter adapter;
    private final EventPublisher publisher;
    private final Clock clock;
    private final StreamIds ids;
    private final BooleanSupplier shuttingDown;
    private final Admission admission;
    private final BudgetGate gate;

    /**
     * @param admission the platform key check ({@code auth.mode=platform}); null in passthrough
     * @param gate a platform key's rate limits and budgets; null in passthrough
     */
    public ApiHandler(
            RelayConfig config,
            StreamSettings settings,
            EventPublisher publisher,
            Clock clock,
            StreamIds ids,
            BooleanSupplier shuttingDown,
            Admission admission,
            BudgetGate gate) {
        this.admission = admission;
        this.gate = gate;
        this.config = config;
        this.settings = settings;
        this.adapter = settings.adapter();
        this.publisher = publisher;
        this.clock = clock;
        this.ids = ids;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void handle(HttpServerRequest request) {
        long acceptedNanos = System.nanoTime();
        HttpServerResponse response = request.response();
        String streamId = ids.next();
        response.putHeader("X-Stream-Id", streamId);
        if (shuttingDown.getAsBoolean()) {
            Responses.error(
                    response,
                    ApiError.of(ApiError.Kind.SHUTTING_DOWN, "The relay is shutting down."),
                    adapter.errorFormat());
            return;
        }
        if (!publisher.admitsNewStreams()) {
            // No event either: the spool has no room, and nothing was served.
            response.putHeader("Retry-After", "5");
            Responses.error(
                    response,
                    ApiError.of(
                            ApiError.Kind.METERING_UNAVAILABLE,
                            "The relay cannot record usage right now; retry shortly."),
                    adapter.errorFormat());
            return;
        }
        String key = adapter.apiKey(request.headers());
        if (key == null) {
            settings.metrics().api(adapter.shape()).unauthenticated();
            Responses.error(
                    response,
                    ApiError.of(ApiError.Kind.UNAUTHENTICATED, adapter.missingKeyMessage()),
                    adapter.errorFormat());
            return;
        }
        String keyId = KeyIds.derive(config.keyIdPepper(), key);
        Admission.Admitted admitted = null;
        if (admission != null) {
            Admission.Decision decision = admission.admit(keyId);
            if (decision instanceof Admission.Admitted a) {
                admitted = a;
            } else if (decision instanceof Admission.MissingCredential missing) {
                LOG.error(
                        "Key {} names upstream credential {}, which auth.credentials-file lacks",
                        keyId,
                        missing.name());
                Responses.error(
                        response,
                        ApiError.of(
                                ApiError.Kind.CREDENTIAL_MISSING,
                                "The relay holds no upstream credential for this key."),
                        adapter.errorFormat());
                return;
            } else {
                settings.metrics().api(adapter.shape()).unauthenticated();
                Responses.error(
                        response,
                        ApiError.of(
                                ApiError.Kind.INVALID_API_KEY,
                                "Incorrect API key provided: the key is unknown or revoked."),
                        adapter.errorFormat());
                return;
            }
        }
        Caller caller =
                new Caller(streamId, key, keyId, tags(request.headers(), admitted), admitted);
        StreamRecorder recorder =
                new StreamRecorder(
                        streamId,
                        config.instanceId(),
                        clock,
                        publisher,
                        settings.metrics(),
                        adapter.shape(),
                        acceptedNanos,
                        config.accessLog());
        BodyReader.read(request, config.maxBodyBytes())
                .onComplete(body -> onBody(request, body, recorder, caller));
    }

    /**
     * Who is calling: the raw key (for scrubbing only), its key id, the operator's tags, and in
     * platform mode the registry's answer.
     */
    private record Caller(
            String streamId,
            String key,
            String keyId,
            Map<String, String> tags,
            Admission.Admitted admitted) {}

    private void onBody(
            HttpServerRequest request,
            AsyncResult<Buffer> body,
            StreamRecorder recorder,
            Caller caller) {
        if (body.succeeded()) {
            accept(request, body.result(), recorder, caller);
        } else if (body.cause() instanceof BodyReader.TooLarge) {
            // The connection cannot carry another request; close it once the client is heard out.
            LingeringClose.start(request);
            reject(
                    request.response(),
                    recorder,
                    caller,
                    ApiError.of(
                            ApiError.Kind.BODY_TOO_LARGE,
                            "The request body is larger than "
                                    + config.maxBodyBytes()
                                    + " bytes."));
        }
        // Otherwise the client left while sending: nothing was accepted, nothing is published.
    }

    private void accept(
            HttpServerRequest request, Buffer body, StreamRecorder recorder, Caller caller) {
        long bodyReadNanos = System.nanoTime();
        if (!jsonOrUnstated(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            reject(
                    request.response(),
                    recorder,
                    caller,
                    new ApiError(
                            ApiError.Kind.INVALID_REQUEST,
                            "The request body must be JSON (Content-Type: application/json).",
                            "Content-Type"));
            return;
        }
        RequestFacts facts;
        try {
            facts = adapter.readRequest(body.getBytes());
        } catch (InvalidRequestException e) {
            reject(
                    request.response(),
                    recorder,
                    caller,
                    new ApiError(ApiError.Kind.INVALID_REQUEST, e.getMessage(), e.param()));
            return;
        }
        Admission.Admitted admitted = caller.admitted();
        if (admitted != null && !Admission.allows(admitted.key(), facts.model())) {
            reject(
                    request.response(),
                    recorder,
                    caller,
                    new ApiError(
                            ApiError.Kind.MODEL_NOT_ALLOWED,
                            "This key may not use the model " + facts.model() + ".",
                            "model"));
            return;
        }
        String upstreamKey =
                admitted != null && admitted.credential() != null
                        ? admitted.credential()
                        : settings.endpoint().apiKey();
        if (admitted != null && upstreamKey == null) {
            // Platform mode never sends the caller's key upstream.
            Responses.error(
                    request.response(),
                    ApiError.of(
                            ApiError.Kind.CREDENTIAL_MISSING,
                            "The relay holds no upstream credential for this key."),
                    adapter.errorFormat());
            return;
        }
        if (admitted == null || gate == null) {
            forward(request, recorder, caller, facts, upstreamKey, bodyReadNanos);
            return;
        }
        gate.admit(caller.streamId(), admitted.key(), facts.model(), body.getBytes())
                .onComplete(
                        decided -> {
                            BudgetGate.Decision decision =
                                    decided.succeeded()
                                            ? decided.result()
                                            : new BudgetGate.Stop(
                                                    BudgetGate.Reason.BUDGET_UNAVAILABLE,
                                                    "The relay cannot check this key's budget"
                                                            + " right now; retry shortly.",
                                                    "1");
                            if (decision instanceof BudgetGate.Stop stop) {
                                if (stop.retryAfter() != null) {
                                    request.response().putHeader("Retry-After", stop.retryAfter());
                                }
                                reject(
                                        request.response(),
                                        recorder,
                                        caller,
                                        ApiError.of(refusal(stop.reason()), stop.message()));
                            } else {
                                forward(
                                        request,
                                        recorder,
                                        caller,
                                        facts,
                                        upstreamKey,
                                        bodyReadNanos);
                            }
                        });
    }

    private static ApiError.Kind refusal(BudgetGate.Reason reason) {
        return switch (reason) {
            case BUDGET_EXCEEDED -> ApiError.Kind.BUDGET_EXCEEDED;
            case REQUESTS_PER_MINUTE -> ApiError.Kind.REQUESTS_PER_MINUTE;
            case TOKENS_PER_MINUTE -> ApiError.Kind.TOKENS_PER_MINUTE;
            case BUDGET_UNAVAILABLE -> ApiError.Kind.BUDGET_UNAVAILABLE;
        };
    }

    /** Publishes the start and hands the request to the upstream. */
    private void forward(
            HttpServerRequest request,
            StreamRecorder recorder,
            Caller caller,
            RequestFacts facts,
            String upstreamKey,
            long bodyReadNanos) {
        Admission.Admitted admitted = caller.admitted();
        recorder.start(caller.keyId(), facts, caller.tags(), settings.upstreamName());
        MultiMap headers =
                ForwardedHeaders.request(
                        request.headers(), config.tagHeaders(), upstreamKey != null);
        if (admitted != null) {
            headers.remove("authorization").remove("x-api-key");
        }
        if (upstreamKey != null) {
            adapter.replaceApiKey(headers, upstreamKey);
        }
        SecretScrubber scrubber = new SecretScrubber(caller.key(), upstreamKey);
        new StreamExchange(settings, request.response(), recorder, facts, scrubber)
                .start(headers, request.query(), bodyReadNanos);
    }

    /** Clients that state no type get the benefit of the doubt; the body parser still checks. */
    static boolean jsonOrUnstated(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private void reject(
            HttpServerResponse response, StreamRecorder recorder, Caller caller, ApiError error) {
        recorder.start(caller.keyId(), null, caller.tags(), settings.upstreamName());
        recorder.end(StreamOutcome.REJECTED, new StreamUsage(), null, error.message());
        Responses.error(response, error, adapter.errorFormat());
    }

    private Map<String, String> tags(MultiMap headers, Admission.Admitted admitted) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (admitted != null) {
            // The registry's tags are the platform's word; a caller's header cannot override them.
            tags.putAll(admitted.key().getTags());
            tags.put("customer", admitted.key().getCustomer());
        }
        config.tagHeaders()
                .forEach(
                        (tag, header) -> {
                            String value = headers.get(header);
                            if (value != null && !value.isBlank() && !tags.containsKey(tag)) {
                                String trimmed = value.trim();
                                tags.put(
                                        tag,
                                        trimmed.length() <= MAX_TAG_CHARS
                                                ? trimmed
                                                : trimmed.substring(0, MAX_TAG_CHARS));
                            }
                        });
        return tags;
    }
}
