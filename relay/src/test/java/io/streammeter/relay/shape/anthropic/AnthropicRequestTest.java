package io.streammeter.relay.shape.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An Anthropic request: its dimensions, its validation, and where the caller's key is. */
class AnthropicRequestTest {
    private final AnthropicMessages adapter = new AnthropicMessages();

    private RequestFacts read(String body) throws InvalidRequestException {
        return adapter.readRequest(body.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidRequestException refused(String body) {
        return assertThrows(InvalidRequestException.class, () -> read(body));
    }

    @Test
    void shouldReadTheDimensionsAndForwardTheBodyUntouched() throws Exception {
        String body =
                "{ \"model\": \"claude-sonnet-4-5\", \"max_tokens\": 1024, \"stream\": true,\n"
                        + "  \"system\": [{\"type\": \"text\", \"text\": \"Be brief.\","
                        + " \"cache_control\": {\"type\": \"ephemeral\"}}],\n"
                        + "  \"metadata\": {\"user_id\": \"end-user-9\"},\n"
                        + "  \"messages\": [{\"role\": \"user\", \"content\": \"Grüß dich\"},\n"
                        + "    {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}]}],\n"
                        + "  \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 2048} }";

        RequestFacts facts = read(body);

        assertEquals("claude-sonnet-4-5", facts.model());
        assertEquals("end-user-9", facts.user(), "metadata.user_id is the user");
        assertTrue(facts.streaming());
        assertFalse(facts.clientRequestedUsage(), "there is no usage option to ask for");
        assertFalse(facts.usageAdded(), "nothing is ever added, so nothing removed");
        assertEquals(9 + 9 + 2, facts.promptChars(), "system + both messages, in code points");
        assertEquals(body, facts.upstreamBody().toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTreatAMissingStreamAsNotStreamed() throws Exception {
        RequestFacts facts =
                read("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"stream\":null}");

        assertFalse(facts.streaming());
        assertNull(facts.user());
    }

    @Test
    void shouldRefuseInvalidBodiesNamingTheField() {
        assertEquals("model", refused("{\"messages\":[]}").param());
        assertEquals("model", refused("{\"model\":\"\",\"messages\":[]}").param());
        assertEquals("messages", refused("{\"model\":\"m\"}").param());
        assertEquals("messages", refused("{\"model\":\"m\",\"messages\":{}}").param());
        assertEquals(
                "stream", refused("{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}").param());
        assertTrue(
                refused("{\"model\":\"m\",\"model\":\"n\",\"messages\":[]}")
                        .getMessage()
                        .contains("Duplicate field"),
                "duplicate keys are refused");
        assertTrue(refused("[1]").getMessage().contains("JSON object"));
        assertTrue(refused("{\"model\":").getMessage().startsWith("We could not parse"));
    }

    @Test
    void shouldFindTheKeyInXApiKeyElseInABearerToken() {
        MultiMap both =
                MultiMap.caseInsensitiveMultiMap()
                        .add("X-Api-Key", " sk-ant-1 ")
                        .add("Authorization", "Bearer sk-other");
        MultiMap bearer = MultiMap.caseInsensitiveMultiMap().add("authorization", "bearer sk-b");
        MultiMap blank =
                MultiMap.caseInsensitiveMultiMap()
                        .add("x-api-key", " ")
                        .add("Authorization", "Basic abc");

        assertEquals("sk-ant-1", adapter.apiKey(both));
        assertEquals("sk-b", adapter.apiKey(bearer));
        assertNull(adapter.apiKey(blank));
        assertNull(adapter.apiKey(MultiMap.caseInsensitiveMultiMap()));
    }

    @Test
    void shouldSendTheRelaysKeyAsXApiKeyOnly() {
        MultiMap headers =
                MultiMap.caseInsensitiveMultiMap()
                        .add("x-api-key", "sk-client")
                        .add("Authorization", "Bearer sk-client")
                        .add("anthropic-version", "2023-06-01");

        adapter.replaceApiKey(headers, "sk-relay");

        assertEquals("sk-relay", headers.get("x-api-key"));
        assertNull(headers.get("Authorization"));
        assertEquals("2023-06-01", headers.get("anthropic-version"));
    }
}
