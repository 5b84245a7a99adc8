package io.streammeter.relay.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBoundsTest {
    static RequestBounds of(String body) {
        return RequestBounds.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadTheMaximumOfEachApiShape() {
        assertEquals(100L, of("{\"max_tokens\":100}").maxOutputTokens());
        assertEquals(
                50L,
                of("{\"max_tokens\":100,\"max_completion_tokens\":50}").maxOutputTokens(),
                "chat completions prefer max_completion_tokens");
        assertEquals(70L, of("{\"max_output_tokens\":70}").maxOutputTokens());
        assertEquals(3, of("{\"max_tokens\":10,\"n\":3}").choices());
    }

    @Test
    void shouldLeaveTheMaximumToTheCapWhenAbsentOrNonsense() {
        assertEquals(null, of("{\"messages\":[]}").maxOutputTokens());
        assertEquals(null, of("{\"max_tokens\":-5}").maxOutputTokens());
        assertEquals(null, of("{\"max_tokens\":\"9\"}").maxOutputTokens());
        RequestBounds broken = of("not json");
        assertEquals(8, broken.bodyBytes());
        assertEquals(null, broken.maxOutputTokens());
        assertEquals(1, of("[1,2]").choices());
    }

    @Test
    void shouldBoundTokensByBytesPlusMaximumTimesChoices() {
        String body = "{\"max_tokens\":10,\"n\":2}";
        assertEquals(body.length() + 20, of(body).worstTokens(4096));
        assertEquals(
                body.length() + 2 * 10,
                of(body).worstTokens(5),
                "the request's maximum, not the cap: the upstream honours the request's");
        assertEquals(7 + 5, of("{\"n\":1}").worstTokens(5), "no maximum: the cap");
    }
}
