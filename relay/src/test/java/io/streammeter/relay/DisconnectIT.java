package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.avro.StreamEnded;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RawClient;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client that leaves mid-stream: one ending, and usage under drain but not under cancel. */
@ExtendWith(KafkaExtension.class)
class DisconnectIT {
    private static final String SCRIPT = "chunks=30;delay-ms=20";
    private static final String FIRST_CONTENT = "\"delta\":{\"content\":\"";
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "disconnect", Map.of("disconnect.policy", "drain"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** Opens a stream through {@code relay}, reads until the first content, and leaves. */
    private static String leaveAfterFirstContent(Relay relay, String script) {
        try (RawClient client =
                RawClient.post(
                        relay.port(),
                        Harness.CHAT,
                        Bodies.streamed(),
                        0,
                        "Authorization",
                        "Bearer " + Harness.KEY,
                        Script.HEADER,
                        script)) {
            client.readHead();
            assertTrue(client.readUntil(FIRST_CONTENT), client.text());
            return client.header("X-Stream-Id");
        }
    }

    @Test
    void shouldDrainTheUpstreamSoUsageStillArrives() {
        long completedBefore = harness.simulator().stats().streamsCompleted();

        String id = leaveAfterFirstContent(harness.relay(), SCRIPT);

        RecordedStream stream = harness.recorded(id);
        assertEquals(Outcome.CLIENT_DISCONNECTED, stream.outcome(), stream.toString());
        stream.assertUsage(Harness.reported(Bodies.streamed(), SCRIPT));
        assertEquals(
                33, stream.ended().getChunkCount(), "role, 30 content, finish, usage: " + stream);
        assertTrue(
                harness.simulator().stats().streamsCompleted() > completedBefore,
                "the upstream was read to its end");
    }

    /** A Responses client that leaves: drained, the terminal response's usage is still billed. */
    @Test
    void shouldDrainAResponsesStreamSoTheTerminalUsageStillArrives() {
        String id;
        try (RawClient client =
                RawClient.post(
                        harness.relay().port(),
                        Harness.RESPONSES,
                        Bodies.responses(true),
                        0,
                        "Authorization",
                        "Bearer " + Harness.KEY,
                        Script.HEADER,
                        SCRIPT)) {
            client.readHead();
            assertTrue(client.readUntil("response.output_text.delta"), client.text());
            id = client.header("X-Stream-Id");
        }

        RecordedStream stream = harness.recorded(id);
        assertEquals(Outcome.CLIENT_DISCONNECTED, stream.outcome(), stream.toString());
        stream.assertUsage(
                Harness.reportedUntouched(
                        io.streammeter.simulator.Api.RESPONSES, Bodies.responses(true), SCRIPT));
    }

    @Test
    void shouldCancelTheUpstreamAtOnceUnderTheCancelPolicy() {
        Relay cancelling = harness.startRelay(Map.of("disconnect.policy", "cancel"));
        long abandonedBefore = harness.simulator().stats().streamsAbandoned();
        try {
            String id = leaveAfterFirstContent(cancelling, SCRIPT);

            RecordedStream stream = harness.recorded(id);
            assertEquals(Outcome.CLIENT_DISCONNECTED, stream.outcome(), stream.toString());
            assertNull(stream.ended().getUsage(), "no usage: the stream is flagged, " + stream);
            assertTrue(stream.ended().getChunkCount() < 33, stream.toString());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> harness.simulator().stats().streamsAbandoned() > abandonedBefore);
        } finally {
            Harness.await(cancelling.shutdown());
        }
    }

    @Test
    void shouldStopDrainingAtTheTimeLimit() {
        Relay impatient = harness.startRelay(Map.of("disconnect.drain-timeout", "300ms"));
        try {
            long start = System.nanoTime();
            String id = leaveAfterFirstContent(impatient, "chunks=200;delay-ms=50");

            RecordedStream stream = harness.recorded(id);
            assertEquals(Outcome.CLIENT_DISCONNECTED, stream.outcome(), stream.toString());
            assertNull(stream.ended().getUsage(), stream.toString());
            assertTrue(
                    stream.ended().getErrorText().contains("drain time limit"), stream.toString());
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000,
                    "ended long before the 10 s stream would have");
        } finally {
            Harness.await(impatient.shutdown());
        }
    }

    @Test
    void shouldEndOnceWhenTheClientLeavesBeforeTheUpstreamAnswers() {
        try (RawClient client =
                RawClient.post(
                        harness.relay().port(),
                        Harness.CHAT,
                        Bodies.streamed(),
                        0,
                        "Authorization",
                        "Bearer " + Harness.KEY,
                        Script.HEADER,
                        "status=503;first-delay-ms=300")) {
            assertTrue(client != null, "sent, and gone before any answer");
        }

        // The client never saw its X-Stream-Id: find the stream by the answer drain still read.
        String streamId =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        harness.events().all().stream()
                                                .filter(
                                                        r ->
                                                                r.value().getPayload()
                                                                                instanceof
                                                                                StreamEnded e
                                                                        && Integer.valueOf(503)
                                                                                .equals(
                                                                                        e
                                                                                                .getUpstreamStatus()))
                                                .map(ConsumerRecord::key)
                                                .findFirst()
                                                .orElse(null),
                                Objects::nonNull);
        RecordedStream stream = harness.recorded(streamId);
        assertEquals(
                Outcome.CLIENT_DISCONNECTED, stream.outcome(), "the client left first: " + stream);
    }
}
