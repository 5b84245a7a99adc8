package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Simulated traffic through a local stack's relay for the page and dashboard tests: streams that
 * end with usage, streams that never get any, and streams held open (the simulator stalls them)
 * until {@link #close}, so in-flight exposure has something to show.
 */
final class Traffic implements AutoCloseable {
    static final String KEY_A = "sk-page-alpha";
    static final String KEY_B = "sk-page-beta";
    static final String MODEL = "gpt-4o-mini";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String relayUrl;
    private final List<CompletableFuture<HttpResponse<InputStream>>> held = new ArrayList<>();

    Traffic(String relayUrl) {
        this.relayUrl = relayUrl;
    }

    /**
     * Five ended streams (key A three with usage, key B one with, one without) and two held open.
     */
    Traffic sendMix() throws Exception {
        for (int i = 0; i < 3; i++) {
            complete(KEY_A, "chunks=" + (4 + i * 4) + ";usage=finish");
        }
        complete(KEY_B, "chunks=6;usage=finish");
        complete(KEY_B, "chunks=5;usage=never");
        hold(KEY_A, "chunks=8;stall-after=3;usage=every");
        hold(KEY_B, "chunks=8;stall-after=2;usage=never");
        return this;
    }

    void complete(String key, String script) throws Exception {
        HttpResponse<String> response =
                http.send(request(key, script), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    /** A stream the simulator stalls: kept open, unread, until {@link #close}. */
    void hold(String key, String script) {
        held.add(http.sendAsync(request(key, script), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private HttpRequest request(String key, String script) {
        String body =
                "{\"model\":\""
                        + MODEL
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"Tell me about metering streamed tokens.\"}]}";
        return HttpRequest.newBuilder(URI.create(relayUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("X-Sim-Script", script)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Ends the held streams as a client that goes away. */
    @Override
    public void close() throws Exception {
        for (CompletableFuture<HttpResponse<InputStream>> f : held) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                f.get().body().close();
            } else {
                f.cancel(true);
            }
        }
        held.clear();
    }
}
