package io.streammeter.metering.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammeter.metering.budget.BudgetBook;
import io.streammeter.metering.budget.BudgetLedger;
import io.streammeter.metering.budget.Refusals;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Budgets over HTTP. {@code POST /v1/budget/reservations} (admin token: the relays) reserves a
 * request's worst case before the relay contacts the upstream: 200 when it fits the key's and its
 * customer's budgets, 429 with an OpenAI-style {@code budget_exceeded} error and {@code
 * Retry-After} when it does not, 503 while the ledger is not read yet. {@code GET
 * /v1/budget?key_id=} shows a key's and its customer's budgets (admin, or the platform key itself).
 *
 * <p>Several relays must not each spend the same room, so one instance holds every reservation: the
 * authority, the instance that owns a fixed key of the spend store. Any other instance forwards to
 * it; with one instance it is itself. A line item settles its stream's hold on the authority (every
 * instance follows the line items, so a new authority after a rebalance knows the billed spend; the
 * holds of the old one are not carried over, see docs/keys-and-budgets.md).
 */
public final class BudgetRoutes {
    static final String RESERVATIONS = "/v1/budget/reservations";
    static final String BUDGET = "/v1/budget";
    private static final String AUTHORITY_KEY = "budget-authority";
    private static final int MAX_BODY_BYTES = 4096;

    private final QueryApi api;
    private final BudgetBook book;
    private final Clock clock;

    public BudgetRoutes(QueryApi api, BudgetBook book, Clock clock) {
        this.api = api;
        this.book = book;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.post(RESERVATIONS)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::reserve);
        router.get(BUDGET).handler(this::show);
    }

    /** Whether this instance of {@code api} holds reservations now (and announces alerts). */
    public static boolean isAuthority(QueryApi api) {
        try {
            HostInfo authority = authority(api);
            return authority == null || authority.equals(api.self());
        } catch (ApiError e) {
            return false;
        }
    }

    /** The instance holding reservations; null when this is the only one. */
    private static HostInfo authority(QueryApi api) {
        return api.self() == null ? null : api.ownerOf(AUTHORITY_KEY);
    }

    private void reserve(RoutingContext ctx) {
        HostInfo authority;
        try {
            authority = QueryApi.isForwarded(ctx) ? null : authority(api);
        } catch (ApiError e) {
            QueryApi.sendFailure(ctx, e);
            return;
        }
        if (authority != null && !authority.equals(api.self())) {
            forward(ctx, authority, HttpMethod.POST, ctx.body().buffer());
            return;
        }
        BudgetBook.Request request;
        try {
            request = request(ctx.body().buffer());
        } catch (ApiError e) {
            QueryApi.sendFailure(ctx, e);
            return;
        }
        BudgetLedger.Outcome outcome;
        try {
            outcome = book.reserve(request);
        } catch (BudgetBook.NotReady e) {
            ctx.response().putHeader("Retry-After", "1");
            QueryApi.sendFailure(ctx, ApiError.unavailable(e.getMessage()));
            return;
        }
        if (outcome instanceof BudgetLedger.Refused refused) {
            Long retry = Refusals.retryAfterSeconds(refused, clock.instant());
            if (retry != null) {
                ctx.response().putHeader("Retry-After", Long.toString(retry));
            }
            QueryApi.send(ctx, Refusals.STATUS, Refusals.body(refused));
            return;
        }
        BudgetLedger.Hold hold = ((BudgetLedger.Reserved) outcome).hold();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stream_id", request.streamId());
        body.put("reserved_usd", hold == null ? null : usd(hold.micros()));
        QueryApi.send(ctx, 200, body);
    }

    private void show(RoutingContext ctx) {
        String keyId = ctx.request().getParam("key_id");
        if (keyId == null || keyId.isBlank()) {
            QueryApi.sendFailure(ctx, ApiError.badParameter("key_id", "is required"));
            return;
        }
        HostInfo authority;
        try {
            authority = QueryApi.isForwarded(ctx) ? null : authority(api);
        } catch (ApiError e) {
            QueryApi.sendFailure(ctx, e);
            return;
        }
        if (authority != null && !authority.equals(api.self())) {
            forward(ctx, authority, HttpMethod.GET, null);
            return;
        }
        BudgetBook.Standings s = book.standings(keyId);
        if (s == null) {
            QueryApi.sendFailure(ctx, ApiError.noKey(keyId));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key_id", s.keyId());
        body.put("customer", s.customer());
        body.put("key_budget", view(s.keyLimit(), s.key()));
        body.put("customer_budget", view(s.customerLimit(), s.customerStanding()));
        body.put("ready", book.ready());
        QueryApi.send(ctx, 200, body);
    }

    private static Map<String, Object> view(
            BudgetLedger.Limit limit, BudgetLedger.Standing standing) {
        if (limit == null) {
            return null;
        }
        Instant resets = standing.resetsAt();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("budget_usd", usd(limit.budgetMicros()));
        view.put("period", limit.period().name().toLowerCase(java.util.Locale.ROOT));
        view.put("billed_usd", usd(standing.billedMicros()));
        view.put("held_usd", usd(standing.heldMicros()));
        view.put("remaining_usd", usd(standing.remainingMicros()));
        view.put("resets_at", resets == null ? null : resets.toString());
        return view;
    }

    private void forward(RoutingContext ctx, HostInfo authority, HttpMethod method, Buffer body) {
        Future<PeerClient.Answer> answer =
                api.peers().exchange(authority, method, ctx.request().uri(), body);
        answer.onSuccess(
                        a -> {
                            if (a.retryAfter() != null) {
                                ctx.response().putHeader("Retry-After", a.retryAfter());
                            }
                            ctx.response()
                                    .setStatusCode(a.status())
                                    .putHeader("content-type", "application/json")
                                    .end(a.body());
                        })
                .onFailure(e -> QueryApi.sendFailure(ctx, e));
    }

    static BudgetBook.Request request(Buffer body) {
        JsonNode json;
        try {
            json = body == null ? null : QueryApi.JSON.readTree(body.getBytes());
        } catch (IOException e) {
            throw ApiError.invalidField("body", "the body must be a JSON object");
        }
        if (json == null || !json.isObject()) {
            throw ApiError.invalidField("body", "the body must be a JSON object");
        }
        return new BudgetBook.Request(
                text(json, "stream_id", true),
                text(json, "key_id", true),
                text(json, "model", false),
                count(json, "body_bytes", true),
                nullableCount(json, "max_output_tokens"),
                json.hasNonNull("choices")
                        ? (int) Math.min(count(json, "choices", true), 128)
                        : null);
    }

    private static String text(JsonNode json, String field, boolean required) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.invalidField(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 256) {
            throw ApiError.invalidField(field, field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static long count(JsonNode json, String field, boolean required) {
        Long value = nullableCount(json, field);
        if (value == null) {
            throw ApiError.invalidField(field, field + " is required");
        }
        return value;
    }

    private static Long nullableCount(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw ApiError.invalidField(field, field + " must be a whole number, at least 0");
        }
        return v.asLong();
    }

    private static String usd(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
