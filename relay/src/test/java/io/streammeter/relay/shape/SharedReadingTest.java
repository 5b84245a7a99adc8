package io.streammeter.relay.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.streammeter.avro.Usage;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The code every shape shares: keys, counts, usage objects and error texts. */
class SharedReadingTest {
    private static final JsonFactory JSON = new JsonFactory();

    private static Usage usage(String json) throws Exception {
        try (JsonParser p = JSON.createParser(json)) {
            return OpenAiUsage.read(p, p.nextToken());
        }
    }

    @Test
    void shouldTreatANegativeCountAsAbsent() throws Exception {
        Usage read =
                usage(
                        "{\"prompt_tokens\":-5,\"completion_tokens\":7,\"total_tokens\":-1,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":-3}}");

        assertEquals(0, read.getPromptTokens());
        assertEquals(7, read.getCompletionTokens());
        assertEquals(7, read.getTotalTokens());
        assertNull(read.getCachedPromptTokens());
    }

    @Test
    void shouldReadResponsesSpellingLikeChatSpelling() throws Exception {
        Usage chat =
                usage(
                        "{\"prompt_tokens\":10,\"completion_tokens\":4,\"total_tokens\":14,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":2},"
                                + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}");
        Usage responses =
                usage(
                        "{\"input_tokens\":10,\"output_tokens\":4,\"total_tokens\":14,"
                                + "\"input_tokens_details\":{\"cached_tokens\":2},"
                                + "\"output_tokens_details\":{\"reasoning_tokens\":1}}");

        assertEquals(chat, responses);
    }

    @Test
    void shouldReadBearerAndXApiKeyInOnePlace() {
        MultiMap bearer = MultiMap.caseInsensitiveMultiMap().add("authorization", "bearer  sk-1 ");
        MultiMap both =
                MultiMap.caseInsensitiveMultiMap()
                        .add("x-api-key", "sk-2")
                        .add("Authorization", "Bearer sk-1");
        MultiMap empty = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer   ");

        assertEquals("sk-1", Credentials.bearer(bearer));
        assertEquals("sk-2", Credentials.xApiKeyOrBearer(both));
        assertEquals("sk-1", Credentials.xApiKeyOrBearer(bearer));
        assertNull(Credentials.bearer(empty));
    }

    @Test
    void shouldWriteErrorTextsWithOrWithoutTheirType() {
        byte[] body =
                "{\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}"
                        .getBytes(StandardCharsets.UTF_8);

        assertEquals("busy", ErrorText.ofBody(JSON, body, body.length, false));
        assertEquals("overloaded_error: busy", ErrorText.ofBody(JSON, body, body.length, true));
    }
}
