package io.streammeter.metering.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammeter.avro.CustomerBudget;
import io.streammeter.avro.PlatformKey;
import io.streammeter.metering.keys.CompactedTopic;
import io.streammeter.metering.keys.CustomerBudgets;
import io.streammeter.metering.keys.InvalidKeyChange;
import io.streammeter.metering.keys.KeyChange;
import io.streammeter.metering.keys.KeyRecords;
import io.streammeter.metering.keys.KeyTopic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The admin HTTP API for platform keys, for billing backends: create, list, show, change and revoke
 * keys on {@code <prefix>keys}, with the same records and validation as {@code streammeter keys}
 * ({@link KeyRecords}). Admin token only: {@link QueryAuth}, mounted before these routes, answers
 * 401 without it and 403 to a platform key. The raw key of a created key is in the create response
 * and nowhere else (not in the topic, a list, a show or a log line).
 */
public final class KeyAdminRoutes {
    static final String BASE = "/v1/admin/keys";
    static final String CUSTOMERS = "/v1/admin/customers";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> FIELDS =
            Set.of(
                    "customer",
                    "tags",
                    "upstream_credential",
                    "allowed_models",
                    "budget_usd",
                    "budget_period",
                    "requests_per_minute",
                    "tokens_per_minute");

    private final Vertx vertx;
    private final KeyTopic topic;
    private final CompactedTopic<CustomerBudget> customerBudgets;
    private final String pepper;
    private final Clock clock;

    /**
     * @param pepper the relays' key-id pepper ({@code auth.key-id-pepper}); null: keys cannot be
     *     created here (503 naming the setting), every other route works
     */
    public KeyAdminRoutes(
            Vertx vertx,
            KeyTopic topic,
            CompactedTopic<CustomerBudget> customerBudgets,
            String pepper,
            Clock clock) {
        this.vertx = vertx;
        this.topic = topic;
        this.customerBudgets = customerBudgets;
        this.pepper = pepper;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.route(BASE + "*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.post(BASE).handler(ctx -> respond(ctx, 201, () -> create(ctx)));
        router.get(BASE).handler(ctx -> respond(ctx, 200, this::list));
        router.get(BASE + "/:id").handler(ctx -> respond(ctx, 200, () -> show(id(ctx))));
        router.patch(BASE + "/:id").handler(ctx -> respond(ctx, 200, () -> change(ctx)));
        router.post(BASE + "/:id/revoke").handler(ctx -> respond(ctx, 200, () -> revoke(id(ctx))));
        String budget = CUSTOMERS + "/:customer/budget";
        router.route(budget).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.put(budget).handler(ctx -> respond(ctx, 200, () -> setBudget(ctx)));
        router.get(budget).handler(ctx -> respond(ctx, 200, () -> showBudget(ctx)));
        router.delete(budget).handler(ctx -> respond(ctx, 200, () -> deleteBudget(ctx)));
    }

    private Object setBudget(RoutingContext ctx) {
        String body = ctx.body().buffer() == null ? null : ctx.body().asString();
        JsonNode json = object(body);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("budget_usd") && !name.equals("budget_period")) {
                throw ApiError.invalidField(name, name + " is not a field of a customer budget");
            }
        }
        CustomerBudget budget =
                CustomerBudgets.of(
                        ctx.pathParam("customer"),
                        usd(json),
                        text(json, "budget_period"),
                        clock.instant());
        customerBudgets.write(budget);
        return CustomerBudgets.view(budget);
    }

    private Object showBudget(RoutingContext ctx) {
        String customer = ctx.pathParam("customer");
        return CustomerBudgets.view(
                customerBudgets
                        .find(customer)
                        .orElseThrow(() -> ApiError.noCustomerBudget(customer)));
    }

    private Object deleteBudget(RoutingContext ctx) {
        String customer = ctx.pathParam("customer");
        customerBudgets.find(customer).orElseThrow(() -> ApiError.noCustomerBudget(customer));
        customerBudgets.delete(customer);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "customer_budget");
        body.put("customer", customer);
        body.put("deleted", true);
        return body;
    }

    private Object create(RoutingContext ctx) {
        if (pepper == null) {
            throw ApiError.unavailable(
                    "keys cannot be created here: auth.key-id-pepper is not set on metering (it"
                            + " must be the relays' key-id.pepper)");
        }
        KeyChange change = change(ctx.body().buffer() == null ? null : ctx.body().asString());
        KeyRecords.Created created = KeyRecords.create(pepper, change, clock.instant());
        topic.write(created.key());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", created.rawKey());
        body.putAll(view(created.key()));
        return body;
    }

    private Object list() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (PlatformKey key : topic.readAll().values()) {
            data.add(view(key));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        return body;
    }

    private Object show(String keyId) {
        return view(find(keyId));
    }

    private Object change(RoutingContext ctx) {
        String keyId = id(ctx);
        KeyChange change = change(ctx.body().buffer() == null ? null : ctx.body().asString());
        PlatformKey changed = KeyRecords.apply(find(keyId), change, clock.instant());
        topic.write(changed);
        return view(changed);
    }

    private Object revoke(String keyId) {
        PlatformKey revoked = KeyRecords.revoke(find(keyId), clock.instant());
        topic.write(revoked);
        return view(revoked);
    }

    private PlatformKey find(String keyId) {
        return topic.find(keyId).orElseThrow(() -> ApiError.noKey(keyId));
    }

    private static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }

    /** The request body as a change; a field that is not one, or of the wrong type, is a 400. */
    static KeyChange change(String body) {
        if (body == null || body.isBlank()) {
            return KeyChange.NONE;
        }
        JsonNode json = object(body);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.invalidField(name, name + " is not a field of a key");
            }
        }
        JsonNode credential = json.get("upstream_credential");
        return new KeyChange(
                text(json, "customer"),
                tags(json),
                credential != null && credential.isNull() ? "" : text(json, "upstream_credential"),
                models(json),
                usd(json),
                text(json, "budget_period"),
                whole(json, "requests_per_minute", Integer.MAX_VALUE) == null
                        ? null
                        : whole(json, "requests_per_minute", Integer.MAX_VALUE).intValue(),
                whole(json, "tokens_per_minute", Long.MAX_VALUE));
    }

    private static JsonNode object(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : QueryApi.JSON.readTree(body);
        } catch (IOException e) {
            throw ApiError.invalidField("body", "body must be a JSON object");
        }
        if (json == null || !json.isObject()) {
            throw ApiError.invalidField("body", "body must be a JSON object");
        }
        return json;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiError.invalidField(field, field + " must be a string");
        }
        return node.asText();
    }

    private static Map<String, String> tags(JsonNode json) {
        JsonNode node = json.get("tags");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiError.invalidField("tags", "tags must be an object of strings");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getValue().isTextual()) {
                                throw ApiError.invalidField(
                                        "tags", "tags must be an object of strings");
                            }
                            tags.put(e.getKey(), e.getValue().asText());
                        });
        return tags;
    }

    private static List<String> models(JsonNode json) {
        JsonNode node = json.get("allowed_models");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiError.invalidField(
                    "allowed_models", "allowed_models must be an array of strings");
        }
        List<String> models = new ArrayList<>();
        for (JsonNode model : node) {
            if (!model.isTextual()) {
                throw ApiError.invalidField(
                        "allowed_models", "allowed_models must be an array of strings");
            }
            models.add(model.asText());
        }
        return models;
    }

    private static BigDecimal usd(JsonNode json) {
        JsonNode node = json.get("budget_usd");
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                return new BigDecimal(node.asText());
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiError.invalidField(
                "budget_usd", "budget_usd must be a number (or a decimal string) of USD");
    }

    private static Long whole(JsonNode json, String field, long max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() > max) {
            throw ApiError.invalidField(field, field + " must be a whole number");
        }
        return node.asLong();
    }

    /** A key as the API shows it: never the raw key (which exists nowhere after create). */
    static Map<String, Object> view(PlatformKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", "platform_key");
        view.put("key_id", key.getKeyId());
        view.put("customer", key.getCustomer());
        view.put("status", key.getStatus().name().toLowerCase(Locale.ROOT));
        view.put("tags", new LinkedHashMap<>(key.getTags()));
        view.put("upstream_credential", key.getUpstreamCredential());
        view.put("allowed_models", new ArrayList<>(key.getAllowedModels()));
        view.put(
                "budget_usd",
                key.getBudgetMicros() == null
                        ? null
                        : BigDecimal.valueOf(key.getBudgetMicros(), 6)
                                .stripTrailingZeros()
                                .toPlainString());
        view.put("budget_period", key.getBudgetPeriod());
        view.put("requests_per_minute", key.getRequestsPerMinute());
        view.put("tokens_per_minute", key.getTokensPerMinute());
        view.put("created_at", key.getCreatedAt().toString());
        view.put("updated_at", key.getUpdatedAt().toString());
        return view;
    }

    private void respond(RoutingContext ctx, int status, Callable<Object> work) {
        Future<Object> result =
                vertx.executeBlocking(
                        () -> {
                            try {
                                return work.call();
                            } catch (InvalidKeyChange e) {
                                throw ApiError.invalidField(e.field(), e.getMessage());
                            } catch (IllegalStateException
                                    | org.apache.kafka.common.KafkaException e) {
                                // The topic is missing, or Kafka did not answer in time.
                                throw ApiError.unavailable(e.getMessage());
                            }
                        },
                        false);
        result.onSuccess(body -> QueryApi.send(ctx, status, body))
                .onFailure(e -> QueryApi.sendFailure(ctx, e));
    }
}
