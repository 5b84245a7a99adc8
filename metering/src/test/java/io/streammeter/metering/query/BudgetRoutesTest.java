package io.streammeter.metering.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streammeter.metering.budget.BudgetBook;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** What a relay's reservation must carry, field by field. */
class BudgetRoutesTest {

    @Test
    void shouldReadAReservation() {
        BudgetBook.Request r =
                BudgetRoutes.request(
                        Buffer.buffer(
                                "{\"stream_id\":\"s1\",\"key_id\":\"k_1\",\"model\":\"gpt-4o\","
                                        + "\"body_bytes\":120,\"max_output_tokens\":200,"
                                        + "\"choices\":2}"));
        assertEquals(new BudgetBook.Request("s1", "k_1", "gpt-4o", 120, 200L, 2), r);
    }

    @Test
    void shouldLeaveOutWhatTheRequestDidNotSet() {
        BudgetBook.Request r =
                BudgetRoutes.request(
                        Buffer.buffer(
                                "{\"stream_id\":\"s1\",\"key_id\":\"k_1\",\"body_bytes\":0,"
                                        + "\"max_output_tokens\":null}"));
        assertNull(r.model());
        assertNull(r.maxOutputTokens());
        assertNull(r.choices());
    }

    @Test
    void shouldNameTheFieldAtFault() {
        assertEquals("stream_id", fault("{\"key_id\":\"k\",\"body_bytes\":1}"));
        assertEquals("key_id", fault("{\"stream_id\":\"s\",\"body_bytes\":1}"));
        assertEquals("body_bytes", fault("{\"stream_id\":\"s\",\"key_id\":\"k\"}"));
        assertEquals(
                "body_bytes", fault("{\"stream_id\":\"s\",\"key_id\":\"k\",\"body_bytes\":-1}"));
        assertEquals(
                "max_output_tokens",
                fault(
                        "{\"stream_id\":\"s\",\"key_id\":\"k\",\"body_bytes\":1,"
                                + "\"max_output_tokens\":1.5}"));
        assertEquals("body", fault("[1]"));
        assertEquals("body", fault("{"));
    }

    private static String fault(String body) {
        ApiError e = assertThrows(ApiError.class, () -> BudgetRoutes.request(Buffer.buffer(body)));
        assertEquals(400, e.status());
        return e.parameter();
    }
}
