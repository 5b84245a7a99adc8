package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RawClient;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No path, header, query parameter or body field lets a caller choose where the relay sends a
 * request: for every API shape, each attempt to point the relay at a trap server (which answers
 * everything) reaches the configured upstream or is refused, and the trap sees nothing.
 */
@ExtendWith(KafkaExtension.class)
class UpstreamChoiceIT {
    private static Harness harness;
    private static HttpServer trap;
    private static final List<String> trapped = new CopyOnWriteArrayList<>();

    /** One API shape: its route, its credentials header, a body with more fields spliced in. */
    record Shape(String name, String route, String[] auth, Function<String, String> body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape(
                        "openai chat completions",
                        Harness.CHAT,
                        new String[] {"Authorization", "Bearer " + Harness.KEY},
                        Bodies::streamed),
                new Shape(
                        "anthropic messages",
                        Harness.MESSAGES,
                        new String[] {
                            "x-api-key", Harness.KEY, "anthropic-version", Harness.ANTHROPIC_VERSION
                        },
                        Bodies::messagesStreamed));
    }

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "upstream-choice");
        trap =
                Harness.await(
                        harness.vertx()
                                .createHttpServer()
                                .requestHandler(
                                        request -> {
                                            trapped.add(request.method() + " " + request.uri());
                                            request.response().end("trapped");
                                        })
                                .listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        Harness.await(trap.close());
        harness.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldSendEveryRequestToTheConfiguredUpstreamWhateverTheCallerSays(Shape shape) {
        String trapHost = "127.0.0.1:" + trap.actualPort();
        String trapUrl = "http://" + trapHost + "/v1";
        List<String[]> attempts = new ArrayList<>();
        // the request target: absolute form, scheme-relative, encoded, query parameters
        attempts.add(new String[] {trapUrl + shape.route().substring(3), ""});
        attempts.add(new String[] {"//" + trapHost + shape.route(), ""});
        attempts.add(new String[] {shape.route() + "/..%2F..%2F" + trapHost, ""});
        attempts.add(
                new String[] {
                    shape.route()
                            + "?base_url="
                            + trapUrl
                            + "&api_base="
                            + trapUrl
                            + "&url="
                            + trapUrl,
                    ""
                });
        // body fields SDKs and proxies know by these names
        for (String field :
                List.of("base_url", "api_base", "baseURL", "upstream", "url", "endpoint")) {
            attempts.add(new String[] {shape.route(), "\"" + field + "\":\"" + trapUrl + "\""});
        }
        List<String[]> headerAttempts =
                List.of(
                        new String[] {"X-Forwarded-Host", trapHost, "X-Forwarded-Proto", "http"},
                        new String[] {"Forwarded", "host=" + trapHost + ";proto=http"},
                        new String[] {"X-Original-URL", trapUrl + shape.route().substring(3)},
                        new String[] {"X-Rewrite-URL", trapUrl + shape.route().substring(3)},
                        new String[] {"X-Upstream-Url", trapUrl, "X-Base-Url", trapUrl},
                        new String[] {"Host", trapHost});

        int answered = 0;
        for (String[] attempt : attempts) {
            answered += send(shape, attempt[0], shape.body().apply(attempt[1]));
        }
        for (String[] headers : headerAttempts) {
            answered += send(shape, shape.route(), shape.body().apply(""), headers);
        }

        assertEquals(List.of(), trapped, "the trap was reached by " + shape);
        assertTrue(answered > 0, "some attempts reached the configured upstream");
    }

    /** Sends one attempt; 1 when the configured upstream answered it (200), else 0. */
    private static int send(Shape shape, String target, String body, String... headers) {
        String[] all = new String[shape.auth().length + headers.length];
        System.arraycopy(shape.auth(), 0, all, 0, shape.auth().length);
        System.arraycopy(headers, 0, all, shape.auth().length, headers.length);
        try (RawClient client =
                RawClient.post(harness.relay().port(), target, body, 0, all).readHead()) {
            client.readToEnd();
            String text = client.text();
            assertTrue(!text.contains("trapped"), target + " -> " + text);
            return client.status() == 200 ? 1 : 0;
        }
    }
}
