package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.ApiShape;
import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.relay.shape.completions.OpenAiCompletions;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Api;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The client sees the upstream's bytes, and every stream is metered exactly. */
@ExtendWith(KafkaExtension.class)
class ForwardingIT {
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "forwarding");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private RecordedStream recorded(Http.Response response) {
        String id = response.streamId();
        assertNotNull(id, "X-Stream-Id on " + response);
        return RecordedStream.of(id, harness.events().awaitEnded(id));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "chunks=12",
                "chunks=6;text=utf8;chunk-chars=5",
                "chunks=5;crlf=true;comments=true",
                "chunks=4;usage=finish",
                "chunks=4;usage=every;cached=3;reasoning=7",
                "chunks=3;tools=4",
                "chunks=2;gzip=true"
            })
    void shouldForwardExactlyTheUpstreamBytesWhenTheClientAskedForUsage(String script) {
        String body = Bodies.streamedWithUsage();

        Http.Response relayed = harness.chat(body, script, "Accept-Encoding", "gzip");
        Http.Response direct = harness.direct(body, script);

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals(
                direct.text(), relayed.text(), "client bytes == simulator bytes for " + script);
        assertEquals("text/event-stream", relayed.header("Content-Type"));
        assertNull(relayed.header("Content-Encoding"), "decoded for the client: " + relayed);
        RecordedStream stream = recorded(relayed);
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        stream.assertUsage(Harness.reported(body, script));
        assertTrue(stream.started().getClientRequestedUsage(), stream.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "chunks=10",
                "chunks=4;crlf=true;comments=true",
                "chunks=3;tools=3",
                "chunks=2;usage=separate"
            })
    void shouldRemoveOnlyTheUsageChunkTheRelayCausedAndStillMeterIt(String script) {
        String body = Bodies.streamed("\"n\":2");

        Http.Response relayed = harness.chat(body, script);
        String direct = harness.direct(body, script).text();

        assertTrue(
                direct.contains("\"choices\":[],\"usage\":{"),
                "the upstream sent a usage chunk: " + direct);
        assertEquals(
                Bodies.withoutUsageChunk(direct), relayed.text(), "client bytes for " + script);
        RecordedStream stream = recorded(relayed);
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        stream.assertUsage(Harness.reported(body, script));
        assertFalse(stream.started().getClientRequestedUsage(), stream.toString());
        assertTrue(
                stream.chunks().stream().anyMatch(c -> c.getCarriesUsage()),
                "the removed chunk is metered");
    }

    @Test
    void shouldKeepUsageAttachedToTheFinishChunk() {
        String body = Bodies.streamed();
        String script = "chunks=3;usage=finish";

        Http.Response relayed = harness.chat(body, script);

        assertEquals(harness.direct(body, script).text(), relayed.text());
        recorded(relayed).assertUsage(Harness.reported(body, script));
    }

    @Test
    void shouldRecordTheDimensionsOfTheRequestInStreamStarted() {
        String body = Bodies.streamed("\"user\":\"end-user-7\"");

        Http.Response relayed =
                harness.chat(
                        body, "chunks=2", "X-Meter-Team", "search", "X-Meter-Project", "ranking");

        RecordedStream stream = recorded(relayed);
        assertEquals(KeyIds.derive(Harness.PEPPER, Harness.KEY), stream.started().getKeyId());
        assertEquals("gpt-4o-mini", stream.started().getModelRequested());
        assertEquals("end-user-7", stream.started().getUser());
        assertEquals(Map.of("team", "search", "project", "ranking"), stream.started().getTags());
        assertEquals(ApiShape.OPENAI_CHAT_COMPLETIONS, stream.started().getApiShape());
        assertEquals("simulator", stream.started().getUpstream());
        assertEquals(23, stream.started().getPromptChars(), stream.toString());
        assertTrue(stream.started().getStreaming());
        assertEquals("gpt-4o-mini", stream.ended().getModelReported());
        assertEquals(200, stream.ended().getUpstreamStatus());
        assertNotNull(stream.ended().getTimeToFirstChunkMillis());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunks=5;cached=2", "chunks=5;cached=2;gzip=true"})
    void shouldMeterANonStreamedResponseFromItsBody(String script) {
        String body = Bodies.notStreamed();

        Http.Response relayed = harness.chat(body, script);

        assertEquals(harness.direct(body, script).text(), relayed.text());
        assertTrue(
                relayed.header("Content-Type").startsWith("application/json"), relayed.toString());
        RecordedStream stream = recorded(relayed);
        assertEquals(Outcome.COMPLETED, stream.outcome());
        assertEquals(0, stream.chunks().size(), "a body is no data event");
        stream.assertUsage(Harness.reported(body, script));
        assertEquals(2L, stream.ended().getUsage().getCachedPromptTokens());
        assertEquals(40, stream.ended().getContentChars());
    }

    @Test
    void shouldDecodeAGzipUpstreamForMeteringAndTheClient() {
        String body = Bodies.streamed();
        String script = "chunks=40;gzip=true";

        Http.Response relayed = harness.chat(body, script);

        assertEquals(Bodies.withoutUsageChunk(harness.direct(body, script).text()), relayed.text());
        RecordedStream stream = recorded(relayed);
        assertEquals(40, stream.ended().getContentChars() / 8, stream.toString());
        stream.assertUsage(Harness.reported(body, script));
    }

    /**
     * The Responses API through the same machinery: typed events, no [DONE], nothing forced, so the
     * client gets the upstream's bytes unchanged; usage comes from the terminal event's response
     * whether it completed, stopped incomplete or failed (all three spent tokens).
     */
    @ParameterizedTest
    @CsvSource({
        "chunks=6, COMPLETED, true",
        "chunks=3;tools=2, COMPLETED, true",
        "chunks=4;end=incomplete;reasoning=5;cached=2, COMPLETED, true",
        "chunks=2;end=failed, UPSTREAM_ERROR, true",
        "chunks=3;usage=never, COMPLETED, false",
        "chunks=5;crlf=true;comments=true;text=utf8, COMPLETED, true",
        "chunks=2;gzip=true, COMPLETED, true"
    })
    void shouldForwardResponsesStreamsByteForByteAndMeterTheTerminalResponse(
            String script, Outcome outcome, boolean usage) {
        String body = Bodies.responses(true);

        Http.Response relayed =
                harness.post(Harness.RESPONSES, body, script, "Accept-Encoding", "gzip");
        Http.Response direct = harness.directUntouched(Harness.RESPONSES, body, script);

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals(direct.text(), relayed.text(), "client bytes == simulator bytes");
        assertFalse(relayed.text().contains("[DONE]"));
        RecordedStream stream = recorded(relayed);
        assertEquals(ApiShape.OPENAI_RESPONSES, stream.started().getApiShape());
        assertEquals(outcome, stream.outcome(), stream.toString());
        assertFalse(stream.started().getClientRequestedUsage(), stream.toString());
        if (usage) {
            stream.assertUsage(Harness.reportedUntouched(Api.RESPONSES, body, script));
        } else {
            assertNull(stream.ended().getUsage(), stream.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunks=4", "chunks=2;tools=3", "end=incomplete", "end=failed"})
    void shouldMeterANonStreamedResponsesApiAnswerFromItsBody(String script) {
        String body = Bodies.responses(false);

        Http.Response relayed = harness.post(Harness.RESPONSES, body, script);
        Http.Response direct = harness.directUntouched(Harness.RESPONSES, body, script);

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals(direct.text(), relayed.text());
        RecordedStream stream = recorded(relayed);
        assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
        stream.assertUsage(Harness.reportedUntouched(Api.RESPONSES, body, script));
    }

    /**
     * Legacy completions and embeddings, streamed where the API streams: byte-exact when the client
     * asked for usage itself (or, for embeddings, always), metered under their own API shape.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/completions, COMPLETIONS, OPENAI_COMPLETIONS, true, chunks=5",
        "/v1/completions, COMPLETIONS, OPENAI_COMPLETIONS, true, chunks=4;crlf=true;text=utf8",
        "/v1/completions, COMPLETIONS, OPENAI_COMPLETIONS, false, chunks=3",
        "/v1/embeddings, EMBEDDINGS, OPENAI_EMBEDDINGS, false, ''",
        "/v1/embeddings, EMBEDDINGS, OPENAI_EMBEDDINGS, false, gzip=true"
    })
    void shouldForwardLegacyCompletionsAndEmbeddingsExactlyAndMeterThem(
            String path, Api api, ApiShape shape, boolean stream, String script) {
        String body =
                api == Api.EMBEDDINGS
                        ? "{\"model\":\"text-embedding-3-small\",\"input\":[\"Hello\",[1,2]]}"
                        : "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\",\"stream\":"
                                + stream
                                + ",\"stream_options\":{\"include_usage\":true}}";

        Http.Response relayed = harness.post(path, body, script, "Accept-Encoding", "gzip");
        Http.Response direct = harness.directUntouched(path, body, script);

        assertEquals(200, relayed.status(), relayed.toString());
        assertEquals(direct.text(), relayed.text(), "client bytes == simulator bytes");
        RecordedStream stream2 = recorded(relayed);
        assertEquals(shape, stream2.started().getApiShape());
        assertEquals(Outcome.COMPLETED, stream2.outcome(), stream2.toString());
        stream2.assertUsage(Harness.reportedUntouched(api, body, script));
    }

    @Test
    void shouldRemoveTheUsageChunkOfALegacyCompletionTheClientDidNotAskFor() throws Exception {
        String body =
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\",\"stream\":true}";
        String asked =
                new OpenAiCompletions()
                        .readRequest(body.getBytes(StandardCharsets.UTF_8))
                        .upstreamBody()
                        .toString(StandardCharsets.UTF_8);

        Http.Response relayed = harness.post("/v1/completions", body, "chunks=4");
        Http.Response direct = harness.directUntouched("/v1/completions", asked, "chunks=4");

        assertEquals(Bodies.withoutUsageChunk(direct.text()), relayed.text());
        RecordedStream stream = recorded(relayed);
        assertTrue(stream.started().getStreaming());
        stream.assertUsage(Harness.reportedUntouched(Api.COMPLETIONS, asked, "chunks=4"));
    }
}
