package io.streammeter.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The usage on the wire is exactly what {@link ExpectedUsage#reported} promises. */
class UsageIT extends SimulatorTestBase {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        List<String> chatScripts =
                List.of(
                        "",
                        "usage=separate",
                        "usage=finish",
                        "usage=every",
                        "usage=never",
                        "chunks=3;chunk-chars=5;cached=4;reasoning=9",
                        "tools=3;chunk-chars=7;usage=finish",
                        "usage=every;error-after=2",
                        "usage=every;truncate-after=3",
                        "usage=separate;error-after=1",
                        "text=utf8;chunks=5;usage=separate",
                        "chunks=0;usage=finish");
        List<String> chatBodies =
                List.of(
                        Bodies.chat(false, ""),
                        Bodies.chat(true, ""),
                        Bodies.chatWithUsage(),
                        Bodies.chat(true, "\"n\":3,\"stream_options\":{\"include_usage\":true}"));
        for (String script : chatScripts) {
            for (String body : chatBodies) {
                cases.add(Arguments.of(Api.CHAT_COMPLETIONS, script, body));
            }
        }
        for (String script :
                List.of(
                        "",
                        "thinking=4",
                        "tools=2",
                        "cache-read=9;cache-write=3",
                        "error-after=2",
                        "truncate-after=1")) {
            cases.add(Arguments.of(Api.MESSAGES, script, Bodies.messages(true)));
            cases.add(Arguments.of(Api.MESSAGES, script, Bodies.messages(false)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} [{1}] {2}")
    @MethodSource("cases")
    void shouldSendExactlyTheExpectedUsage(Api api, String script, String body) throws Exception {
        long promptBefore = simulator.stats().promptTokens();
        long completionBefore = simulator.stats().completionTokens();

        Wire wire = Wire.post(simulator.port(), api.path(), script, body);

        Optional<SimUsage> expected = ExpectedUsage.reported(api, body, Script.parse(script));
        assertEquals(expected, wireUsage(api, wire.bodyText()), wire.bodyText());
        long prompt = expected.map(SimUsage::promptTokens).orElse(0L);
        long completion = expected.map(SimUsage::completionTokens).orElse(0L);
        await().pollDelay(Duration.ZERO)
                .atMost(Duration.ofSeconds(5))
                .until(() -> simulator.stats().completionTokens() == completionBefore + completion);
        assertEquals(promptBefore + prompt, simulator.stats().promptTokens());
    }

    @Test
    void shouldServeTheStatsAsJson() throws Exception {
        post(Api.CHAT_COMPLETIONS, null, Bodies.chatWithUsage());

        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_sim/stats"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        JsonNode stats = SimRequest.json(response.body());
        assertEquals(simulator.stats().requests(), stats.get("requests").asLong(), response.body());
        assertEquals(simulator.stats().streamsCompleted(), stats.get("streams_completed").asLong());
        assertEquals(simulator.stats().promptTokens(), stats.get("prompt_tokens").asLong());
        assertEquals(simulator.stats().completionTokens(), stats.get("completion_tokens").asLong());
        assertEquals(0, stats.get("open_streams").asLong());
    }

    /** The last usage object in a response as a client reads it, merged as each API defines. */
    static Optional<SimUsage> wireUsage(Api api, String body) {
        List<JsonNode> objects = new ArrayList<>();
        if (body.startsWith("{")) {
            try {
                objects.add(SimRequest.json(body));
            } catch (IllegalArgumentException truncated) {
                return Optional.empty();
            }
        } else {
            objects.addAll(Sse.parse(body).json());
        }
        return api == Api.MESSAGES ? anthropic(objects) : openAi(objects);
    }

    private static Optional<SimUsage> openAi(List<JsonNode> objects) {
        SimUsage last = null;
        for (JsonNode o : objects) {
            JsonNode u = o.path("usage");
            if (u.isObject()) {
                last =
                        new SimUsage(
                                u.get("prompt_tokens").asLong(),
                                u.get("completion_tokens").asLong(),
                                u.get("total_tokens").asLong(),
                                u.at("/prompt_tokens_details/cached_tokens").asLong(),
                                u.at("/completion_tokens_details/reasoning_tokens").asLong(),
                                0);
            }
        }
        return Optional.ofNullable(last);
    }

    private static Optional<SimUsage> anthropic(List<JsonNode> objects) {
        JsonNode start = null;
        Long output = null;
        for (JsonNode o : objects) {
            JsonNode u = o.has("message") ? o.at("/message/usage") : o.path("usage");
            if (o.path("type").asText().equals("message_delta")) {
                output = u.get("output_tokens").asLong();
            } else if (u.isObject()) {
                start = u;
            }
        }
        if (start == null) {
            return Optional.empty();
        }
        long input = start.get("input_tokens").asLong();
        long read = start.get("cache_read_input_tokens").asLong();
        long write = start.get("cache_creation_input_tokens").asLong();
        long out = output != null ? output : start.get("output_tokens").asLong();
        return Optional.of(new SimUsage(input, out, input + read + write + out, read, 0, write));
    }
}
