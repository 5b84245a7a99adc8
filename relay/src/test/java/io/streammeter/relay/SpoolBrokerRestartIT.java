package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.StreamEnded;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamStarted;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.LocalKafka;
import io.streammeter.kafka.TestKafka;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.EventLog;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.schemas.TopicCatalog;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of its own, stopped and started again on the same data while the relay serves: the
 * batches the producer held expire (a short delivery timeout makes sure of it), the relay goes back
 * to the oldest unacknowledged event, and every event of every stream arrives.
 */
@ExtendWith(KafkaExtension.class)
class SpoolBrokerRestartIT {

    @Test
    void shouldDeliverEveryEventAcrossABrokerRestart(TestKafka shared, @TempDir Path data)
            throws Exception {
        int port = freePortPair();
        TopicCatalog catalog = new TopicCatalog("restart.");
        LocalKafka broker = LocalKafka.start(data, port);
        String bootstrap = broker.bootstrapServers();
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            new TopicProvisioner(admin).provision(catalog);
        }
        try (Harness harness = Harness.start(shared, "spool-broker-restart")) {
            Relay relay =
                    harness.startRelay(
                            Map.of(
                                    "kafka.bootstrap-servers",
                                    bootstrap,
                                    "kafka.topic-prefix",
                                    catalog.prefix(),
                                    "kafka.producer.max.block.ms",
                                    "300",
                                    "kafka.producer.request.timeout.ms",
                                    "1000",
                                    "kafka.producer.delivery.timeout.ms",
                                    "1500",
                                    "kafka.producer.reconnect.backoff.max.ms",
                                    "200"));
            List<String> streams = new ArrayList<>();
            try {
                streams.addAll(serve(relay, 3));
                broker.close();
                streams.addAll(serve(relay, 6)); // into the spool, and expiring in the client
                broker = LocalKafka.start(data, port);
                streams.addAll(serve(relay, 3));

                try (EventLog log = new EventLog(broker.bootstrapServers(), catalog)) {
                    Map<String, List<StreamEvent>> events = log.awaitEnded(streams);
                    events.forEach(SpoolBrokerRestartIT::assertComplete);
                }
                assertTrue(Harness.metric(relay, "relay_spool_replayed_total") > 0);
            } finally {
                Harness.await(relay.shutdown());
                broker.close();
            }
        }
    }

    private static List<String> serve(Relay relay, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Http.Response response =
                    Http.post(
                            Harness.url(relay, Harness.CHAT),
                            Bodies.streamed(),
                            "Authorization",
                            "Bearer " + Harness.KEY,
                            "X-Sim-Script",
                            "chunks=30;delay-ms=20");
            assertEquals(200, response.status(), response.toString());
            ids.add(response.streamId());
        }
        return ids;
    }

    private static void assertComplete(String id, List<StreamEvent> events) {
        List<Long> sequences = events.stream().map(StreamEvent::getSequence).distinct().toList();
        assertEquals(
                LongStream.range(0, sequences.size()).boxed().toList(),
                sequences,
                "no hole in " + id);
        assertTrue(events.get(0).getPayload() instanceof StreamStarted, id);
        assertTrue(events.get(events.size() - 1).getPayload() instanceof StreamEnded, id);
    }

    /** A port whose successor is free too: the controller listens on port + 1. */
    private static int freePortPair() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0)) {
                int port = first.getLocalPort();
                try (ServerSocket second = new ServerSocket(port + 1)) {
                    return port;
                } catch (java.io.IOException busy) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free port pair");
    }
}
