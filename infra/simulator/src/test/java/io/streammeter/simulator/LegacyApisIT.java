package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Legacy completions and embeddings, with their odd shapes: usage absent, cut, errors. */
class LegacyApisIT extends SimulatorTestBase {
    static final String COMPLETION =
            "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\",\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true}}";
    static final String EMBEDDING =
            "{\"model\":\"text-embedding-3-small\",\"input\":[\"ab\",[1,2,3]]}";

    @Test
    void shouldStreamLegacyCompletionChunksWithTextChoicesUsageAndDone() throws Exception {
        HttpResponse<String> response = post(Api.COMPLETIONS, "chunks=3", COMPLETION);

        String body = response.body();
        assertEquals(200, response.statusCode(), body);
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        assertTrue(body.contains("\"object\":\"text_completion\""), body);
        assertTrue(body.contains("\"choices\":[{\"text\":\""), body);
        SimUsage want =
                ExpectedUsage.of(
                        Api.COMPLETIONS, SimRequest.json(COMPLETION), Script.parse("chunks=3"));
        assertTrue(
                body.contains(
                        "\"prompt_tokens\":"
                                + want.promptTokens()
                                + ",\"completion_tokens\":"
                                + want.completionTokens()),
                body);
    }

    @Test
    void shouldLeaveUsageOutOfALegacyCompletionWhenUsageNever() throws Exception {
        String body = post(Api.COMPLETIONS, "usage=never", COMPLETION).body();

        assertTrue(!body.contains("prompt_tokens"), body);
    }

    @Test
    void shouldAnswerEmbeddingsWithPromptAndTotalTokensOnly() throws Exception {
        HttpResponse<String> response = post(Api.EMBEDDINGS, "", EMBEDDING);

        JsonNode json = SimRequest.json(response.body());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("list", json.get("object").asText());
        assertEquals(4, json.at("/usage/prompt_tokens").asLong(), "1 for \"ab\", 3 token ids");
        assertEquals(4, json.at("/usage/total_tokens").asLong());
        assertTrue(json.at("/usage/completion_tokens").isMissingNode());
    }

    @Test
    void shouldCutOrFailEmbeddingsAsScripted() throws Exception {
        assertTrue(
                SimRequest.json(post(Api.EMBEDDINGS, "usage=never", EMBEDDING).body())
                        .path("usage")
                        .isMissingNode());
        assertEquals(500, post(Api.EMBEDDINGS, "error-after=0", EMBEDDING).statusCode());
        assertEquals(429, post(Api.EMBEDDINGS, "status=429", EMBEDDING).statusCode());
    }
}
