package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.SimUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many streams at once: each one forwarded exactly and metered on its own. */
@ExtendWith(KafkaExtension.class)
class ConcurrencyIT {
    private static final int STREAMS = 200;
    private static final String SCRIPT = "chunks=20;delay-ms=10";

    @Test
    void shouldRelayAndMeter200ConcurrentStreams(TestKafka kafka) {
        try (Harness harness = Harness.start(kafka, "concurrency")) {
            String body = Bodies.streamed();
            String expected = Bodies.withoutUsageChunk(harness.direct(body, SCRIPT).text());

            List<CompletableFuture<Http.Response>> calls =
                    IntStream.range(0, STREAMS)
                            .mapToObj(
                                    i ->
                                            Http.postAsync(
                                                    harness.url(Harness.CHAT),
                                                    body,
                                                    "Authorization",
                                                    "Bearer " + Harness.KEY,
                                                    "X-Sim-Script",
                                                    SCRIPT))
                            .toList();
            List<Http.Response> responses = calls.stream().map(CompletableFuture::join).toList();

            for (Http.Response response : responses) {
                assertEquals(200, response.status(), response.toString());
                assertEquals(expected, response.text(), "every client gets the upstream's bytes");
            }
            Set<String> ids =
                    responses.stream().map(Http.Response::streamId).collect(Collectors.toSet());
            assertEquals(STREAMS, ids.size(), "one stream id each");
            Map<String, List<io.streammeter.avro.StreamEvent>> events =
                    harness.events().awaitEnded(ids);
            SimUsage usage = Harness.reported(body, SCRIPT);
            for (String id : ids) {
                RecordedStream stream = RecordedStream.of(id, events.get(id));
                assertEquals(Outcome.COMPLETED, stream.outcome(), stream.toString());
                stream.assertUsage(usage);
                assertEquals(23, stream.chunks().size(), stream.toString());
            }
        }
    }
}
