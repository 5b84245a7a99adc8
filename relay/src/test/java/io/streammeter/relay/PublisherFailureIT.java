package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka unreachable: the client's stream is untouched; failures are counted; readiness says no. */
@ExtendWith(KafkaExtension.class)
class PublisherFailureIT {

    @Test
    void shouldLeaveTheClientStreamIntactWhenKafkaIsUnreachable(TestKafka kafka) throws Exception {
        int nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = socket.getLocalPort();
        }
        try (Harness harness = Harness.start(kafka, "publisher-failure")) {
            Relay blind =
                    harness.startRelay(
                            Map.of(
                                    "kafka.bootstrap-servers",
                                    "127.0.0.1:" + nowhere,
                                    "kafka.producer.max.block.ms",
                                    "100",
                                    "publish.queue-capacity",
                                    "8"));
            try {
                String body = Bodies.streamed();
                String script = "chunks=30;delay-ms=5";

                Http.Response relayed =
                        Http.post(
                                Harness.url(blind, Harness.CHAT),
                                body,
                                "Authorization",
                                "Bearer " + Harness.KEY,
                                "X-Sim-Script",
                                script);

                assertEquals(200, relayed.status(), relayed.toString());
                assertEquals(
                        Bodies.withoutUsageChunk(harness.direct(body, script).text()),
                        relayed.text());
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () -> {
                                    double failed =
                                            Harness.metric(
                                                            blind,
                                                            "relay_publish_failures_total{reason=\"send\"}")
                                                    + Harness.metric(
                                                            blind,
                                                            "relay_publish_failures_total{reason=\"queue_full\"}");
                                    assertTrue(failed > 0, "publish failures counted: " + failed);
                                });
                Http.Response ready = Http.get(Harness.url(blind, "/readyz"));
                assertEquals(503, ready.status(), ready.toString());
            } finally {
                long start = System.nanoTime();
                Harness.await(blind.shutdown());
                assertTrue(
                        Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20,
                        "shutdown is bounded even with Kafka gone");
            }
        }
    }
}
