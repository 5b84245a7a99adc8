package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RawClient;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client that does not read: the relay pauses the upstream instead of buffering its bytes. */
@ExtendWith(KafkaExtension.class)
class SlowClientIT {
    private static final String UPSTREAM_BYTES = "relay_bytes_total{direction=\"upstream\"}";
    // About 17 MB of events: far more than socket buffers and the relay's write queue can hide.
    private static final String SCRIPT = "chunks=4000;chunk-chars=4000";
    private static final long BOUND = 8L * 1024 * 1024;

    @Test
    void shouldPauseTheUpstreamAndKeepMemoryBoundedWhileTheClientDoesNotRead(TestKafka kafka) {
        try (Harness harness =
                Harness.start(kafka, "slow-client", Map.of("listen.instances", "1"))) {
            String body = Bodies.streamedWithUsage();
            try (RawClient client =
                    RawClient.post(
                            harness.relay().port(),
                            Harness.CHAT,
                            body,
                            8 * 1024,
                            "Authorization",
                            "Bearer " + Harness.KEY,
                            Script.HEADER,
                            SCRIPT)) {
                client.readHead();

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> harness.metric("relay_upstream_pauses_total") > 0);
                // While the client reads nothing, what the relay takes from the upstream stays put.
                await().during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(5))
                        .untilAsserted(
                                () -> {
                                    double read = harness.metric(UPSTREAM_BYTES);
                                    assertTrue(read < BOUND, "bytes read from upstream: " + read);
                                });

                client.readToEnd();
                assertTrue(client.endedCleanly(), "the whole stream arrives once the client reads");
                assertTrue(client.text().endsWith("data: [DONE]\n\n"));
                RecordedStream stream =
                        RecordedStream.of(
                                client.header("X-Stream-Id"),
                                harness.events().awaitEnded(client.header("X-Stream-Id")));
                assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
                stream.assertUsage(Harness.reported(body, SCRIPT));
                assertTrue(harness.metric(UPSTREAM_BYTES) > 16_000_000, "every byte was relayed");
            }
        }
    }
}
