package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import io.streammeter.relay.support.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The raw API key never leaves the relay: not in logs, events, metrics or error bodies. */
@ExtendWith(KafkaExtension.class)
class SecretsIT {

    @Test
    void shouldNeverLogPublishExposeOrEchoTheRawKey(TestKafka kafka) {
        List<Http.Response> responses = new ArrayList<>();
        String logs;
        String events;
        String metrics;
        try (LogCapture capture = new LogCapture();
                Harness harness =
                        Harness.start(
                                kafka,
                                "secrets",
                                Map.of(
                                        "upstream.idle-timeout",
                                        "400ms",
                                        "request.max-body-bytes",
                                        "4096"))) {
            responses.add(harness.chat(Bodies.streamed(), "chunks=3"));
            responses.add(harness.chat(Bodies.streamedWithUsage(), "chunks=3;tools=2"));
            responses.add(harness.chat(Bodies.notStreamed(), "chunks=2"));
            responses.add(harness.chat(Bodies.streamed(), "status=401"));
            responses.add(harness.chat(Bodies.streamed(), "chunks=4;error-after=1"));
            responses.add(harness.chat(Bodies.streamed(), "chunks=4;stall-after=1"));
            responses.add(harness.chat("{\"model\":", ""));
            responses.add(
                    harness.chat(Bodies.streamed("\"pad\":\"" + "y".repeat(5000) + "\""), ""));
            responses.add(
                    Http.post(
                            harness.url(Harness.CHAT),
                            Bodies.streamed(),
                            "Authorization",
                            "Basic " + Harness.KEY));
            responses.add(Http.get(harness.url("/readyz")));
            responses.add(Http.get(harness.url("/nowhere")));
            List<String> ids =
                    responses.stream()
                            .map(Http.Response::streamId)
                            .filter(id -> id != null)
                            .toList();
            harness.events().awaitEnded(ids.subList(0, 8));
            events = harness.events().all().toString();
            metrics = Http.get(harness.url("/metrics")).text();
            logs = capture.text();
        }

        assertEquals(
                List.of(200, 200, 200, 401, 200, 200, 400, 413, 401, 200, 404),
                responses.stream().map(Http.Response::status).toList(),
                responses.toString());
        assertTrue(logs.contains("access stream=s_"), "access logs were captured: " + logs);
        assertFalse(logs.contains(Harness.KEY), "logs:\n" + logs);
        assertFalse(events.contains(Harness.KEY), "events:\n" + events);
        assertFalse(metrics.contains(Harness.KEY), "metrics:\n" + metrics);
        for (Http.Response response : responses) {
            assertFalse(response.toString().contains(Harness.KEY), "response:\n" + response);
        }
    }
}
