package io.streammeter.metering.query;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Metering;
import io.streammeter.metering.keys.KeyChange;
import io.streammeter.metering.keys.KeyRecords;
import io.streammeter.metering.keys.KeyTopic;
import io.streammeter.schemas.TopicCatalog;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metering's budget routes against the real broker: who may use them (no token, a wrong one, a
 * platform key on another key's budget or on the relays' reservation route: 401/403 and no data),
 * reservations held against a key's and its customer's budgets until one does not fit (429
 * budget_exceeded with Retry-After), idempotent per stream id, and customer budgets set and removed
 * over the admin API.
 */
@ExtendWith(KafkaExtension.class)
class BudgetRoutesIT {
    private static final String PEPPER = "budget-routes-pepper-0123456789";
    private static final String RESERVE = "/v1/budget/reservations";

    private static Metering metering;
    private static TopicCatalog topics;
    private static TestKafka broker;
    private static KeyRecords.Created acme;
    private static KeyRecords.Created globex;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        broker = kafka;
        topics = kafka.newCatalog("budget-routes");
        String appId = "metering-budget-routes-" + Long.toString(System.nanoTime(), 36);
        metering =
                Metering.start(
                        QueryApiIT.config(kafka, topics, appId, "one")
                                .with("auth.key-id-pepper", PEPPER)
                                .with("budget.enabled", "true"));
        assertTrue(metering.awaitRunning(Duration.ofSeconds(60)), "metering runs");
        // acme's key: $0.01 a day; globex's: no budget of its own.
        acme = key("acme", new BigDecimal("0.01"), "day");
        globex = key("globex", null, null);
        await("metering's budgets know both keys")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                send("GET", budgetOf(acme), admin(), null).statusCode() == 200
                                        && send("GET", budgetOf(globex), admin(), null).statusCode()
                                                == 200);
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
    }

    private static KeyRecords.Created key(String customer, BigDecimal usd, String period) {
        KeyRecords.Created created =
                KeyRecords.create(
                        PEPPER,
                        new KeyChange(customer, null, null, null, usd, period, null, null),
                        Instant.now());
        try (KeyTopic keys =
                new KeyTopic(
                        Map.of("bootstrap.servers", broker.bootstrapServers()),
                        topics.keys(),
                        Duration.ofSeconds(10))) {
            keys.write(created.key());
        }
        return created;
    }

    @Test
    void shouldLetNobodyWithoutTheAdminTokenOntoTheRelaysRouteOrAnotherKeysBudget()
            throws Exception {
        String reservation = reservation("s-auth", acme, 10);
        List<String[]> routes =
                List.of(
                        new String[] {"GET", budgetOf(acme), null},
                        new String[] {"POST", RESERVE, reservation},
                        new String[] {
                            "PUT", "/v1/admin/customers/acme/budget", "{\"budget_usd\":1}"
                        },
                        new String[] {"GET", "/v1/admin/customers/acme/budget", null},
                        new String[] {"DELETE", "/v1/admin/customers/acme/budget", null});
        for (String[] r : routes) {
            HttpResponse<String> none = send(r[0], r[1], Map.of(), r[2]);
            assertEquals(401, none.statusCode(), r[0] + " " + r[1] + ": " + none.body());
            HttpResponse<String> wrong =
                    send(r[0], r[1], bearer("not-the-admin-token-at-all"), r[2]);
            assertEquals(401, wrong.statusCode(), r[0] + " " + r[1] + ": " + wrong.body());
            HttpResponse<String> other = send(r[0], r[1], bearer(globex.rawKey()), r[2]);
            assertEquals(403, other.statusCode(), r[0] + " " + r[1] + ": " + other.body());
            for (HttpResponse<String> refused : List.of(none, wrong, other)) {
                assertFalse(refused.body().contains("budget_usd"), refused.body());
                assertFalse(refused.body().contains("reserved"), refused.body());
            }
        }
        // A platform key may not reserve for itself, not even on its own key id.
        assertEquals(403, send("POST", RESERVE, bearer(acme.rawKey()), reservation).statusCode());
        HttpResponse<String> own = send("GET", budgetOf(acme), bearer(acme.rawKey()), null);
        assertEquals(200, own.statusCode(), own.body());
        assertEquals("0.010000", json(own).path("key_budget").path("budget_usd").asText());
    }

    @Test
    void shouldHoldReservationsUntilTheNextDoesNotFitAndSayWhenTheBudgetResets() throws Exception {
        KeyRecords.Created key = key("initech", new BigDecimal("0.01"), "day");
        await("metering knows the key")
                .atMost(Duration.ofSeconds(30))
                .until(() -> send("GET", budgetOf(key), admin(), null).statusCode() == 200);
        // gpt-4o: 2.50 USD/M input, 10 USD/M output; 200 bytes + 200 output tokens = 2,500 µUSD.
        String first = reservation("s-hold-1", key, 200);
        assertEquals(200, send("POST", RESERVE, admin(), first).statusCode());
        assertEquals(200, send("POST", RESERVE, admin(), first).statusCode(), "idempotent");
        for (int i = 2; i <= 4; i++) {
            HttpResponse<String> r =
                    send("POST", RESERVE, admin(), reservation("s-hold-" + i, key, 200));
            assertEquals(200, r.statusCode(), r.body());
        }
        JsonNode standing = json(send("GET", budgetOf(key), admin(), null)).path("key_budget");
        assertEquals("0.010000", standing.path("held_usd").asText(), standing.toString());
        assertEquals("0.000000", standing.path("remaining_usd").asText(), standing.toString());

        HttpResponse<String> refused =
                send("POST", RESERVE, admin(), reservation("s-hold-5", key, 200));
        assertEquals(429, refused.statusCode(), refused.body());
        JsonNode error = json(refused).path("error");
        assertEquals("budget_exceeded", error.path("code").asText(), refused.body());
        assertEquals("rate_limit_error", error.path("type").asText(), refused.body());
        assertTrue(error.path("message").asText().contains("The key's budget"), refused.body());
        assertFalse(refused.body().contains(key.key().getKeyId()), "no key id in the error");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "until midnight UTC: " + retryAfter);
    }

    @Test
    void shouldRefuseByTheCustomersBudgetAcrossItsKeysUntilItIsRemoved() throws Exception {
        KeyRecords.Created one = key("umbrella", null, null);
        KeyRecords.Created two = key("umbrella", null, null);
        HttpResponse<String> set =
                send(
                        "PUT",
                        "/v1/admin/customers/umbrella/budget",
                        admin(),
                        "{\"budget_usd\":\"0.005\",\"budget_period\":\"month\"}");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals("0.005", json(set).path("budget_usd").asText());
        await("metering knows both keys and the customer's budget")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            HttpResponse<String> r = send("GET", budgetOf(two), admin(), null);
                            return r.statusCode() == 200
                                    && json(r).path("customer_budget")
                                            .path("budget_usd")
                                            .isTextual();
                        });
        assertEquals(
                200,
                send("POST", RESERVE, admin(), reservation("s-cust-1", one, 200)).statusCode());
        assertEquals(
                200,
                send("POST", RESERVE, admin(), reservation("s-cust-2", two, 200)).statusCode());
        HttpResponse<String> refused =
                send("POST", RESERVE, admin(), reservation("s-cust-3", two, 200));
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("The customer's budget"), refused.body());

        HttpResponse<String> bad =
                send("PUT", "/v1/admin/customers/umbrella/budget", admin(), "{\"budget_usd\":-1}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("budget_usd", json(bad).path("error").path("parameter").asText());

        assertEquals(
                200,
                send("DELETE", "/v1/admin/customers/umbrella/budget", admin(), null).statusCode());
        assertEquals(
                404,
                send("GET", "/v1/admin/customers/umbrella/budget", admin(), null).statusCode());
        await("without the customer's budget the key's request fits again")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                send("POST", RESERVE, admin(), reservation("s-cust-3", two, 200))
                                                .statusCode()
                                        == 200);
    }

    @Test
    void shouldNameTheFieldOfABadReservation() throws Exception {
        HttpResponse<String> r =
                send("POST", RESERVE, admin(), "{\"stream_id\":\"s\",\"key_id\":\"k\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("body_bytes", json(r).path("error").path("parameter").asText(), r.body());
        HttpResponse<String> unknown =
                send(
                        "POST",
                        RESERVE,
                        admin(),
                        "{\"stream_id\":\"s\",\"key_id\":\"k_nobody\",\"body_bytes\":1}");
        assertEquals(
                503, unknown.statusCode(), "an unknown key cannot be judged: " + unknown.body());
    }

    private static String reservation(String streamId, KeyRecords.Created key, long bodyBytes) {
        return "{\"stream_id\":\""
                + streamId
                + "\",\"key_id\":\""
                + key.key().getKeyId()
                + "\",\"model\":\"gpt-4o\",\"body_bytes\":"
                + bodyBytes
                + ",\"max_output_tokens\":200,\"choices\":1}";
    }

    private static String budgetOf(KeyRecords.Created key) {
        return "/v1/budget?key_id=" + key.key().getKeyId();
    }

    private static Map<String, String> admin() {
        return bearer(QueryApiIT.ADMIN_TOKEN);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return QueryApiIT.JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(
            String method, String path, Map<String, String> headers, String body) throws Exception {
        return QueryApiIT.send(metering.queryPort(), method, path, headers, body);
    }
}
