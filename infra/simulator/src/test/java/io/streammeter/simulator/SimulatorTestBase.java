package io.streammeter.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real simulator on an ephemeral port, shared by the tests of a class. */
abstract class SimulatorTestBase {

    static Vertx vertx;
    static Simulator simulator;
    static HttpClient http;

    @BeforeAll
    static void startSimulator() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        simulator = Simulator.start(vertx, SimulatorConfig.ephemeral()).await(10, TimeUnit.SECONDS);
        http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        simulator.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    static HttpResponse<String> post(Api api, String script, String body)
            throws IOException, InterruptedException {
        return http.send(request(api, script, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> postBytes(Api api, String script, String body)
            throws IOException, InterruptedException {
        return http.send(
                request(api, script, body).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpRequest.Builder request(Api api, String script, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + api.path()))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (script != null) {
            request.header(Script.HEADER, script);
        }
        return request;
    }

    /** Streams an OpenAI request and parses the events. */
    static Sse chatStream(String script, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = post(Api.CHAT_COMPLETIONS, script, body);
        if (response.statusCode() != 200) {
            throw new AssertionError("status " + response.statusCode() + ": " + response.body());
        }
        return Sse.parse(response.body());
    }

    /** Streams an Anthropic request and parses the events. */
    static Sse messagesStream(String script) throws IOException, InterruptedException {
        HttpResponse<String> response = post(Api.MESSAGES, script, Bodies.messages(true));
        if (response.statusCode() != 200) {
            throw new AssertionError("status " + response.statusCode() + ": " + response.body());
        }
        return Sse.parse(response.body());
    }
}
