package io.streammeter.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorLifecycleIT {

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldGiveTwoEphemeralSimulatorsTheirOwnPortsAndStats() throws Exception {
        try (Simulator one =
                        Simulator.start(vertx, SimulatorConfig.ephemeral())
                                .await(10, TimeUnit.SECONDS);
                Simulator two =
                        Simulator.start(vertx, SimulatorConfig.ephemeral())
                                .await(10, TimeUnit.SECONDS)) {
            assertTrue(one.port() > 0);
            assertNotEquals(one.port(), two.port());
            assertEquals("http://127.0.0.1:" + one.port(), one.baseUrl());

            Wire wire =
                    Wire.post(
                            one.port(),
                            Api.CHAT_COMPLETIONS.path(),
                            "chunks=1",
                            Bodies.chat(true, ""));

            assertTrue(wire.terminated(), wire.bodyText());
            assertEquals(1, one.stats().streamsCompleted());
            assertEquals(0, two.stats().requests());
        }
    }

    @Test
    void shouldCloseStalledStreamsWhenStopped() throws Exception {
        Simulator simulator =
                Simulator.start(vertx, SimulatorConfig.ephemeral()).await(10, TimeUnit.SECONDS);
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            socket.setSoTimeout(10_000);
            Wire.send(
                    socket,
                    Api.CHAT_COMPLETIONS.path(),
                    "stall-after=0",
                    Bodies.chat(true, ""),
                    "keep-alive");
            InputStream in = socket.getInputStream();
            assertTrue(in.read() >= 0, "the headers arrive");

            simulator.close();

            Wire rest = Wire.read(in);
            assertFalse(rest.terminated(), "ended by the stop, not by the stream");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> simulator.stats().streamsInterrupted() == 1);
        }
    }
}
