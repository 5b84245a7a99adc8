package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.StreamChunk;
import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.TcpGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The spool against the real broker, with a real TCP gate between the relay and the cluster: what
 * the relay accepts reaches Kafka once Kafka can be reached, across a restart, and at the spool's
 * size limit each policy does what it says.
 */
@ExtendWith(KafkaExtension.class)
class SpoolIT {
    private static final String SCRIPT = "chunks=20;delay-ms=1";

    @Test
    void shouldDeliverEveryEventOnceKafkaBecomesReachable(TestKafka kafka) {
        try (Harness harness = Harness.start(kafka, "spool-late-kafka");
                TcpGate gate = TcpGate.start(harness.vertx(), kafka.bootstrapServers(), false)) {
            Relay relay = harness.startRelay(behind(gate));
            try {
                List<String> streams = serve(harness, relay, 5);
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () -> {
                                    assertEquals(
                                            1.0, Harness.metric(relay, "relay_spool_spooling"));
                                    assertTrue(Harness.metric(relay, "relay_spool_depth") >= 5 * 2);
                                });
                Http.Response ready = Http.get(Harness.url(relay, "/readyz"));
                assertEquals(200, ready.status(), "serving while spooling: " + ready);
                assertTrue(ready.text().contains("\"spooling\":true"), ready.text());

                gate.open();

                assertComplete(harness.events().awaitEnded(streams));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () -> {
                                    assertEquals(0.0, Harness.metric(relay, "relay_spool_depth"));
                                    assertEquals(
                                            0.0, Harness.metric(relay, "relay_spool_spooling"));
                                });
                assertTrue(Harness.metric(relay, "relay_spool_replayed_total") > 0);
            } finally {
                Harness.await(relay.shutdown());
            }
        }
    }

    @Test
    void shouldDeliverWhatAStoppedRelayLeftInItsSpoolWhenStartedAgain(TestKafka kafka)
            throws IOException {
        try (Harness harness = Harness.start(kafka, "spool-restart");
                TcpGate gate = TcpGate.start(harness.vertx(), kafka.bootstrapServers(), false)) {
            Path spool = harness.newSpoolDir();
            Relay first = harness.startRelay(with(behind(gate), "spool.dir", spool.toString()));
            List<String> streams = serve(harness, first, 4);
            Harness.await(first.shutdown());
            assertTrue(spoolBytes(spool) > 0, "the events wait on disk");
            assertEquals(List.of(), harness.events().all(), "nothing reached Kafka yet");

            Relay second = harness.startRelay(Map.of("spool.dir", spool.toString()));
            try {
                assertComplete(harness.events().awaitEnded(streams));
                // And it serves new traffic while it replays.
                List<String> more = serve(harness, second, 2);
                assertComplete(harness.events().awaitEnded(more));
            } finally {
                Harness.await(second.shutdown());
            }
        }
    }

    @Test
    void shouldSendDuplicatesWhenASpoolIsReplayedTwiceAndKeepTheirEventIds(TestKafka kafka)
            throws IOException {
        try (Harness harness = Harness.start(kafka, "spool-duplicates");
                TcpGate gate = TcpGate.start(harness.vertx(), kafka.bootstrapServers(), false)) {
            Path spool = harness.newSpoolDir();
            Relay first = harness.startRelay(with(behind(gate), "spool.dir", spool.toString()));
            List<String> streams = serve(harness, first, 2);
            Harness.await(first.shutdown());
            // The same unacknowledged events in two spools: as after a send whose outcome was
            // unknown, Kafka gets every event twice.
            Path copy = harness.newSpoolDir();
            copyFiles(spool, copy);

            for (Path dir : List.of(spool, copy)) {
                Relay relay = harness.startRelay(Map.of("spool.dir", dir.toString()));
                Harness.await(relay.shutdown());
            }

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                Map<String, Long> copies =
                                        harness.events().all().stream()
                                                .map(ConsumerRecord::value)
                                                .collect(
                                                        Collectors.groupingBy(
                                                                StreamEvent::getEventId,
                                                                Collectors.counting()));
                                assertTrue(copies.size() >= 2 * 2, copies.toString());
                                assertTrue(
                                        copies.values().stream().allMatch(n -> n == 2),
                                        "" + copies);
                            });
            assertComplete(harness.events().awaitEnded(streams));
        }
    }

    @Test
    void shouldShedChunksButNeverStartsOrEndsWhenTheSpoolIsFull(TestKafka kafka) {
        try (Harness harness = Harness.start(kafka, "spool-shed");
                TcpGate gate = TcpGate.start(harness.vertx(), kafka.bootstrapServers(), false)) {
            Relay relay = harness.startRelay(with(behind(gate), "spool.max-bytes", "64KiB"));
            try {
                List<String> streams = new ArrayList<>();
                while (Harness.metric(relay, "relay_spool_full") < 1.0 || streams.size() < 2) {
                    streams.addAll(serve(harness, relay, 1, "chunks=200"));
                    assertTrue(streams.size() < 50, "the spool never filled");
                }
                List<String> afterFull = serve(harness, relay, 2, "chunks=200");
                streams.addAll(afterFull);
                assertTrue(
                        Harness.metric(relay, "relay_spool_shed_total{reason=\"spool_full\"}") > 0);

                gate.open();

                Map<String, List<StreamEvent>> events = harness.events().awaitEnded(streams);
                assertComplete(events);
                for (String id : afterFull) {
                    List<StreamEvent> stream = events.get(id);
                    StreamEnded end = (StreamEnded) stream.get(stream.size() - 1).getPayload();
                    long chunks =
                            stream.stream()
                                    .filter(e -> e.getPayload() instanceof StreamChunk)
                                    .count();
                    assertTrue(end.getChunksShed() > 0, "shed while full: " + end);
                    assertEquals(end.getChunkCount(), chunks + end.getChunksShed(), end.toString());
                }
            } finally {
                Harness.await(relay.shutdown());
            }
        }
    }

    @Test
    void shouldRefuseNewStreamsUnderShedChunksBeforeTheirStartsAndEndsCouldNotBeKept(
            TestKafka kafka) {
        try (Harness harness = Harness.start(kafka, "spool-shed-reserve");
                TcpGate gate = TcpGate.start(harness.vertx(), kafka.bootstrapServers(), false)) {
            Relay relay = harness.startRelay(with(behind(gate), "spool.max-bytes", "64KiB"));
            try {
                List<String> served = new ArrayList<>();
                Http.Response refused = null;
                while (refused == null) {
                    Http.Response response = post(relay, "chunks=1");
                    if (response.status() == 503) {
                        refused = response;
                    } else {
                        assertEquals(200, response.status(), response.toString());
                        served.add(response.streamId());
                        assertTrue(served.size() < 5_000, "the reserve never ran low");
                    }
                }
                assertTrue(
                        refused.text().contains("\"code\":\"metering_unavailable\""),
                        refused.text());

                gate.open();

                // Every stream served while Kafka was away is billed: its start and end were kept.
                assertComplete(harness.events().awaitEnded(served));
            } finally {
                Harness.await(relay.shutdown());
            }
        }
    }

    @Test
    void shouldRefuseNewRequestsWhileTheSpoolIsFullUnderReject(TestKafka kafka) {
        try (Harness harness = Harness.start(kafka, "spool-reject");
                TcpGate gate = TcpGate.start(harness.vertx(), kafka.bootstrapServers(), false)) {
            Relay relay =
                    harness.startRelay(
                            with(
                                    with(behind(gate), "spool.max-bytes", "64KiB"),
                                    "spool.full-policy",
                                    "reject"));
            try {
                List<String> served = new ArrayList<>();
                Http.Response refused = null;
                while (refused == null) {
                    Http.Response response = post(relay, "chunks=200");
                    if (response.status() == 503) {
                        refused = response;
                    } else {
                        assertEquals(200, response.status(), response.toString());
                        served.add(response.streamId());
                        assertTrue(served.size() < 50, "the spool never filled");
                    }
                }
                assertTrue(
                        refused.text().contains("\"code\":\"metering_unavailable\""),
                        refused.text());
                assertEquals(503, Http.get(Harness.url(relay, "/readyz")).status());
                assertEquals(
                        0.0,
                        Harness.metric(relay, "relay_spool_shed_total{reason=\"spool_full\"}"),
                        "nothing shed under reject");

                gate.open();

                assertComplete(harness.events().awaitEnded(served));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertEquals(200, post(relay, SCRIPT).status()));
            } finally {
                Harness.await(relay.shutdown());
            }
        }
    }

    /** The relay's Kafka settings, through the gate, failing fast while it is shut. */
    private static Map<String, String> behind(TcpGate gate) {
        return Map.of(
                "kafka.bootstrap-servers",
                gate.address(),
                "kafka.producer.max.block.ms",
                "300",
                "kafka.producer.reconnect.backoff.max.ms",
                "200");
    }

    /** {@code settings} plus one more key. */
    private static Map<String, String> with(
            Map<String, String> settings, String key, String value) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(key, value);
        return all;
    }

    private static List<String> serve(Harness harness, Relay relay, int count) {
        return serve(harness, relay, count, SCRIPT);
    }

    private static List<String> serve(Harness harness, Relay relay, int count, String script) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Http.Response response = post(relay, script);
            assertEquals(200, response.status(), response.toString());
            assertTrue(response.text().contains("[DONE]"), "served whole: " + response);
            ids.add(response.streamId());
        }
        return ids;
    }

    private static Http.Response post(Relay relay, String script) {
        return Http.post(
                Harness.url(relay, Harness.CHAT),
                Bodies.streamed(),
                "Authorization",
                "Bearer " + Harness.KEY,
                "X-Sim-Script",
                script);
    }

    /** Each stream: one start at 0, an end, and every sequence number between, each once. */
    private static void assertComplete(Map<String, List<StreamEvent>> streams) {
        streams.forEach(
                (id, events) -> {
                    List<Long> sequences =
                            events.stream().map(StreamEvent::getSequence).distinct().toList();
                    assertEquals(
                            LongStream.range(0, sequences.size()).boxed().toList(),
                            sequences,
                            "no hole in " + id);
                    assertTrue(events.get(0).getPayload() instanceof StreamStarted, id);
                    assertTrue(
                            events.get(events.size() - 1).getPayload() instanceof StreamEnded, id);
                });
    }

    private static long spoolBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".spool"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(p -> !p.endsWith("lock")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
