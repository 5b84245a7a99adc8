package io.streammeter.metering.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.metering.config.MeteringConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests to another instance carry the admin token and end within their timeout. */
class PeerClientTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldCarryTheAdminTokenAndTheLocalMark(@TempDir Path dir) throws Exception {
        AtomicReference<MultiMap> seen = new AtomicReference<>();
        HttpServer peer =
                vertx.createHttpServer()
                        .requestHandler(
                                req -> {
                                    seen.set(
                                            MultiMap.caseInsensitiveMultiMap()
                                                    .addAll(req.headers()));
                                    req.response().end("{}");
                                })
                        .listen(0, "127.0.0.1")
                        .await(10, TimeUnit.SECONDS);
        Path file = dir.resolve("token");
        Files.writeString(file, "peer-token-0123456789\n");
        AdminToken token =
                AdminToken.of(
                        MeteringConfig.defaults().with("auth.admin-token-file", file.toString()));
        PeerClient client = new PeerClient(vertx, token, Duration.ofSeconds(5));

        String body =
                client.get(new HostInfo("127.0.0.1", peer.actualPort()), "/v1/spend?key_id=k")
                        .await(10, TimeUnit.SECONDS)
                        .toString();

        assertEquals("{}", body);
        assertEquals("Bearer peer-token-0123456789", seen.get().get("Authorization"));
        assertEquals("1", seen.get().get(QueryApi.LOCAL_HEADER));
        client.close();
    }

    @Test
    void shouldGiveUpOnAPeerThatNeverAnswers() throws Exception {
        HttpServer silent =
                vertx.createHttpServer()
                        .requestHandler(req -> {}) // reads the request, never answers
                        .listen(0, "127.0.0.1")
                        .await(10, TimeUnit.SECONDS);
        PeerClient client = new PeerClient(vertx, null, Duration.ofMillis(300));
        long began = System.nanoTime();

        ExecutionException failed =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ExecutionException.class,
                        () ->
                                client.get(
                                                new HostInfo("127.0.0.1", silent.actualPort()),
                                                "/v1/spend")
                                        .toCompletionStage()
                                        .toCompletableFuture()
                                        .get(10, TimeUnit.SECONDS));

        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        ApiError error = assertInstanceOf(ApiError.class, failed.getCause());
        assertEquals(502, error.status());
        assertTrue(tookMillis < 5_000, "gave up after " + tookMillis + " ms");
        client.close();
    }
}
