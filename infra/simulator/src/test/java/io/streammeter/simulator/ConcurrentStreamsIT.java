package io.streammeter.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ConcurrentStreamsIT extends SimulatorTestBase {

    private static final int STREAMS = 1_000;

    @Test
    void shouldCompleteAThousandConcurrentStreams() throws Exception {
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client =
                clientVertx.createHttpClient(
                        new HttpClientOptions()
                                .setDefaultHost("127.0.0.1")
                                .setDefaultPort(simulator.port()),
                        new PoolOptions().setHttp1MaxSize(STREAMS));
        LongAdder completed = new LongAdder();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong peakOpen = new AtomicLong();
        long sampler =
                vertx.setPeriodic(
                        10,
                        id ->
                                peakOpen.accumulateAndGet(
                                        simulator.stats().openStreams(), Math::max));
        long completedBefore = simulator.stats().streamsCompleted();
        // Every stream waits 2.5 s before its first chunk, so all of them are open at once even on
        // a busy machine.
        String script = "first-delay-ms=2500;chunks=4;delay-ms=50";
        try {
            for (int i = 0; i < STREAMS; i++) {
                String requestBody = Bodies.chat(true, "\"user\":\"u" + i + "\"");
                RequestOptions request =
                        new RequestOptions()
                                .setMethod(HttpMethod.POST)
                                .setURI(Api.CHAT_COMPLETIONS.path())
                                .putHeader(Script.HEADER, script)
                                .putHeader("Content-Type", "application/json");
                client.request(request)
                        .compose(req -> req.send(requestBody))
                        .compose(response -> response.body())
                        .onSuccess(
                                body -> {
                                    if (body.toString().endsWith("data: [DONE]\n\n")) {
                                        completed.increment();
                                    } else {
                                        failures.add("unfinished body: " + body);
                                    }
                                })
                        .onFailure(e -> failures.add(e.toString()));
            }

            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> completed.sum() + failures.size() == STREAMS);
        } finally {
            vertx.cancelTimer(sampler);
            client.close().await(5, TimeUnit.SECONDS);
            clientVertx.close().await(5, TimeUnit.SECONDS);
        }

        assertTrue(
                failures.isEmpty(), () -> failures.size() + " failed, first: " + failures.peek());
        assertEquals(STREAMS, simulator.stats().streamsCompleted() - completedBefore);
        assertEquals(STREAMS, peakOpen.get(), "all streams were open at the same time");
    }
}
