package io.streammeter.simulator;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code POST /v1/chat/completions}, {@code /v1/responses} or {@code /v1/messages} as the
 * request's script says: validation by early return, then a scripted error, a stream, or a complete
 * answer.
 */
final class CompletionHandler implements Handler<RoutingContext> {

    private final Api api;
    private final SimulatorStats stats;
    private final SimulatorLedger ledger;

    CompletionHandler(Api api, SimulatorStats stats, SimulatorLedger ledger) {
        this.api = api;
        this.stats = stats;
        this.ledger = ledger;
    }

    /** Writes a settled answer to the ledger, when there is one. */
    interface LedgerNote {
        LedgerNote NONE = (outcome, usage) -> {};

        void settled(SimulatorLedger.Outcome outcome, SimUsage lastUsage);
    }

    private LedgerNote note(HttpServerRequest http, SimRequest request) {
        if (ledger == null) {
            return LedgerNote.NONE;
        }
        String tag = http.getHeader(SimulatorLedger.TAG_HEADER);
        String bearer =
                SimulatorLedger.bearer(
                        http.getHeader(HttpHeaders.AUTHORIZATION), http.getHeader("x-api-key"));
        return (outcome, usage) ->
                ledger.record(
                        new SimulatorLedger.Entry(
                                tag,
                                bearer,
                                api,
                                request.model(),
                                request.stream(),
                                usage != null,
                                usage,
                                outcome));
    }

    @Override
    public void handle(RoutingContext ctx) {
        stats.request();
        HttpServerRequest http = ctx.request();
        String header = http.getHeader(Script.HEADER);
        Script script;
        try {
            script = Script.parse(header);
            script.checkAppliesTo(api);
        } catch (IllegalArgumentException e) {
            reply(
                    ctx,
                    400,
                    ErrorBody.badRequest(
                            api, Script.HEADER + ": " + e.getMessage(), Script.HEADER));
            return;
        }
        Buffer body = ctx.body().buffer();
        SimRequest request;
        try {
            byte[] bytes = body == null ? new byte[0] : body.getBytes();
            request = SimRequest.of(api, SimRequest.json(bytes), SimRequest.seed(bytes));
        } catch (IllegalArgumentException e) {
            reply(ctx, 400, ErrorBody.badRequest(api, e.getMessage(), null));
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        boolean gzip =
                script.gzip() && GzipBody.accepted(http.getHeader(HttpHeaders.ACCEPT_ENCODING));
        LedgerNote note = note(http, request);
        if (script.status() > 0) {
            later(
                    ctx,
                    script.firstDelayMs(),
                    () -> {
                        note.settled(SimulatorLedger.Outcome.INTERRUPTED, null);
                        reply(ctx, script.status(), ErrorBody.forStatus(api, script.status()));
                    });
        } else if (request.stream()) {
            stream(ctx, context, request, script, gzip, note);
        } else {
            long generation = script.delayMs() * Math.max(0, totalSteps(script) - 1);
            later(
                    ctx,
                    script.firstDelayMs() + generation,
                    () -> complete(ctx, request, script, gzip, note));
        }
    }

    private void stream(
            RoutingContext ctx,
            Context context,
            SimRequest request,
            Script script,
            boolean gzip,
            LedgerNote note) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        requestIdHeader(response, request);
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        GzipBody encoder = gzip ? new GzipBody() : null;
        HttpConnection connection = ctx.request().connection();
        if (api == Api.MESSAGES) {
            AnthropicStream events = new AnthropicStream(request, script);
            play(context, response, connection, events.plan(), events, script, encoder, note);
        } else if (api == Api.RESPONSES) {
            ResponsesStream events = new ResponsesStream(request, script);
            play(context, response, connection, events.plan(), events, script, encoder, note);
        } else {
            OpenAiStream events = new OpenAiStream(request, script);
            play(context, response, connection, events.plan(), events, script, encoder, note);
        }
    }

    private <K> void play(
            Context context,
            HttpServerResponse response,
            HttpConnection connection,
            StreamPlan<K> plan,
            EventRenderer<K> events,
            Script script,
            GzipBody gzip,
            LedgerNote note) {
        new Playback<>(context, response, connection, plan, events, script, gzip, stats, note)
                .start();
    }

    /** A complete answer; the *-after keys cut it: an error status, half a body, or silence. */
    private void complete(
            RoutingContext ctx, SimRequest request, Script script, boolean gzip, LedgerNote note) {
        if (script.errorAfter() >= 0) {
            note.settled(SimulatorLedger.Outcome.INTERRUPTED, null);
            int status = api == Api.MESSAGES ? 529 : 500;
            reply(ctx, status, ErrorBody.forStatus(api, status));
            return;
        }
        String json =
                switch (api) {
                    case MESSAGES -> FullResponse.message(request, script);
                    case RESPONSES -> FullResponse.response(request, script);
                    case CHAT_COMPLETIONS -> FullResponse.chatCompletion(request, script);
                    case COMPLETIONS -> FullResponse.completion(request, script);
                    case EMBEDDINGS -> FullResponse.embeddings(request, script);
                };
        Buffer body = Buffer.buffer(json.getBytes(StandardCharsets.UTF_8));
        HttpServerResponse response =
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        requestIdHeader(response, request);
        if (gzip) {
            GzipBody encoder = new GzipBody();
            body = encoder.encode(body.getBytes()).appendBuffer(encoder.finish());
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        if (script.interruptAfter() < 0) {
            SimUsage usage = ExpectedUsage.reported(request, script).orElse(null);
            stats.usageSent(usage);
            note.settled(SimulatorLedger.Outcome.COMPLETED, usage);
            response.end(body);
            return;
        }
        note.settled(SimulatorLedger.Outcome.INTERRUPTED, null);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        Buffer half = body.getBuffer(0, body.length() / 2);
        if (script.truncateAfter() >= 0) {
            response.write(half).onComplete(ar -> ctx.request().connection().close());
        } else {
            response.write(half);
        }
    }

    private static int totalSteps(Script script) {
        return script.thinking() + script.contentSteps();
    }

    private static void requestIdHeader(HttpServerResponse response, SimRequest request) {
        response.putHeader(
                request.api() == Api.MESSAGES ? "request-id" : "x-request-id",
                request.id("req_", 4, 24));
    }

    private static void later(RoutingContext ctx, long delayMs, Runnable action) {
        if (delayMs <= 0) {
            action.run();
            return;
        }
        long timer = ctx.vertx().setTimer(delayMs, id -> action.run());
        ctx.response().closeHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    private static void reply(RoutingContext ctx, int status, String json) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json);
    }
}
