package io.streammeter.relay.shape.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.RequestFacts;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiRequestTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OpenAiChatCompletions adapter = new OpenAiChatCompletions();

    private RequestFacts read(String body) throws InvalidRequestException {
        return adapter.readRequest(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String sent(RequestFacts facts) {
        return facts.upstreamBody().toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldForceIncludeUsageAndLeaveEveryOtherByteAlone() throws Exception {
        String body =
                "{ \"model\" : \"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\u00e9\"}],"
                        + "\"temperature\":1.0E0,\"stream\":true,\"x_vendor\":{\"nested\":[1,2.50,{\"a\":null}]},"
                        + "\"user\":\"u-1\"}";

        RequestFacts facts = read(body);

        String sent = sent(facts);
        assertEquals(body, sent.replace("\"stream_options\":{\"include_usage\":true},", ""), sent);
        assertTrue(
                MAPPER.readTree(sent).path("stream_options").path("include_usage").asBoolean(),
                sent);
        assertTrue(facts.usageAdded());
        assertFalse(facts.clientRequestedUsage());
        assertEquals("gpt-4o", facts.model());
        assertEquals("u-1", facts.user());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|{\"include_usage\":true}",
                "{\"foo\":1}|{\"include_usage\":true,\"foo\":1}",
                "{ }|{\"include_usage\":true }",
                "{\"include_usage\":false}|{\"include_usage\":true}",
                "{\"include_usage\": null ,\"x\":2}|{\"include_usage\": true ,\"x\":2}",
                "null|{\"include_usage\":true}"
            })
    void shouldRewriteStreamOptionsInPlace(String options, String expected) throws Exception {
        String body =
                "{\"model\":\"m\",\"messages\":[],\"stream\":true,\"stream_options\":"
                        + options
                        + ",\"n\":2}";

        RequestFacts facts = read(body);

        assertEquals(body.replace(options, expected), sent(facts));
        assertTrue(facts.usageAdded());
    }

    @Test
    void shouldForwardTheClientsBytesWhenItAskedForUsageItself() throws Exception {
        String body =
                "{\"model\":\"m\",\"messages\":[],\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

        RequestFacts facts = read(body);

        assertEquals(body, sent(facts));
        assertTrue(facts.clientRequestedUsage());
        assertFalse(facts.usageAdded());
    }

    @Test
    void shouldNotTouchANonStreamedRequest() throws Exception {
        String body =
                "{\"model\":\"m\",\"messages\":[],\"stream\":false,\"stream_options\":{\"include_usage\":false}}";

        RequestFacts facts = read(body);

        assertEquals(body, sent(facts));
        assertFalse(facts.streaming());
        assertFalse(facts.usageAdded());
    }

    @Test
    void shouldKeepUnknownFieldsOfAStreamedRequest() throws Exception {
        ObjectNode request = MAPPER.createObjectNode().put("model", "m").put("stream", true);
        request.putArray("messages").addObject().put("role", "user").put("content", "x");
        request.putObject("metadata").put("trace", "abc").putArray("list").add(1.25).add("y");
        request.put("parallel_tool_calls", false);

        JsonNode sent = MAPPER.readTree(sent(read(MAPPER.writeValueAsString(request))));

        ObjectNode expected = request.deepCopy();
        expected.putObject("stream_options").put("include_usage", true);
        assertEquals(expected, sent);
    }

    @Test
    void shouldCountPromptCharactersInStringsAndTextParts() throws Exception {
        String body =
                "{\"model\":\"m\",\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"abc\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"d😀\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:...\"}}]},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[]}]}";

        RequestFacts facts = read(body);

        assertEquals(5, facts.promptChars(), "abc + d + one emoji");
        assertNull(facts.user());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|",
                "[1,2]|",
                "{\"messages\":[]}|model",
                "{\"model\":7,\"messages\":[]}|model",
                "{\"model\":\"\",\"messages\":[]}|model",
                "{\"model\":\"m\"}|messages",
                "{\"model\":\"m\",\"messages\":{}}|messages",
                "{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}|stream",
                "{\"model\":\"m\",\"messages\":[],\"stream\":true,\"stream_options\":[1]}|stream_options",
                "{\"model\":\"m\",\"messages\":[],\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}}|stream_options.include_usage",
                "{\"model\":\"m\",\"messages\":[],\"stream\":true,\"stream_options\":{\"include_usage\":1}}|stream_options.include_usage",
                "{\"model\":\"m\",\"model\":\"n\",\"messages\":[]}|",
                "{\"model\":\"m\",\"messages\":[]} trailing|",
                "{\"model\":\"m\",\"messages\":[|"
            })
    void shouldRejectInvalidBodiesNamingTheParameter(String body, String param) {
        InvalidRequestException e =
                assertThrows(InvalidRequestException.class, () -> read(body), body);

        assertEquals(param, e.param(), e.getMessage());
    }
}
