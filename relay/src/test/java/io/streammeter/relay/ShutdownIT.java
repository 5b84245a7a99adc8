package io.streammeter.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.Outcome;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.support.Bodies;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.RawClient;
import io.streammeter.relay.support.RecordedStream;
import io.streammeter.simulator.Script;
import io.vertx.core.Future;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping the relay: streams in flight finish within the grace period or end as RELAY_SHUTDOWN.
 */
@ExtendWith(KafkaExtension.class)
class ShutdownIT {
    private static final String SHUTDOWN_EVENT =
            "data: {\"error\":{\"message\":\"The relay is shutting"
                    + " down.\",\"type\":\"server_error\",\"param\":null,\"code\":\"relay_shutting_down\"}}\n\n";
    private static final String SHORT = "chunks=10;delay-ms=30";
    private static final String LONG = "chunks=200;delay-ms=50";
    private static Harness harness;

    @BeforeAll
    static void start(TestKafka kafka) {
        harness = Harness.start(kafka, "shutdown");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RawClient streaming(int port, String script) {
        RawClient client =
                RawClient.post(
                                port,
                                Harness.CHAT,
                                Bodies.streamed(),
                                0,
                                "Authorization",
                                "Bearer " + Harness.KEY,
                                Script.HEADER,
                                script)
                        .readHead();
        assertTrue(client.readUntil("\"delta\":{\"content\":\""), client.text());
        return client;
    }

    private static RecordedStream recorded(RawClient client) {
        String id = client.header("X-Stream-Id");
        return RecordedStream.of(id, harness.events().awaitEnded(id));
    }

    @Test
    void shouldLetStreamsFinishWithinTheGracePeriodAndEndTheRest() {
        Relay relay = harness.startRelay(Map.of("shutdown.grace", "2s"));
        try (RawClient quick = streaming(relay.port(), SHORT);
                RawClient slow = streaming(relay.port(), LONG)) {

            Future<Void> stopped = relay.shutdown();

            quick.readToEnd();
            slow.readToEnd();
            assertTrue(
                    quick.endedCleanly() && quick.text().endsWith("data: [DONE]\n\n"),
                    quick.text());
            assertTrue(slow.endedCleanly() && slow.text().endsWith(SHUTDOWN_EVENT), slow.text());
            Harness.await(stopped);
            assertThrows(
                    ConnectException.class,
                    () -> new Socket("127.0.0.1", relay.port()).close(),
                    "no longer accepting connections");
            assertEquals(Outcome.COMPLETED, recorded(quick).outcome());
            RecordedStream ended = recorded(slow);
            assertEquals(Outcome.RELAY_SHUTDOWN, ended.outcome(), ended.toString());
            assertEquals("The relay is shutting down.", ended.ended().getErrorText());
        }
    }

    @Test
    void shouldShutDownGracefullyOnSigterm(TestKafka kafka) throws Exception {
        ProcessBuilder command =
                new ProcessBuilder(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Xmx256m",
                                        "-XX:TieredStopAtLevel=1",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        RelayMain.class.getName(),
                                        "--listen.host=127.0.0.1",
                                        "--listen.port=0",
                                        "--listen.instances=1",
                                        "--upstream.name=simulator",
                                        "--upstream.base-url="
                                                + harness.simulator().baseUrl()
                                                + "/v1",
                                        "--kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                        "--kafka.topic-prefix=" + harness.catalog().prefix(),
                                        "--relay.instance-id=relay-child",
                                        "--spool.dir=" + harness.newSpoolDir(),
                                        "--shutdown.grace=1s",
                                        "--metrics.auth=none"))
                        .redirectErrorStream(true);
        command.environment().put("STREAMMETER_RELAY_KEY_ID_PEPPER", Harness.PEPPER);
        Process process = command.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader lines =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                lines.lines().forEach(output::add);
                            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                                // the process is gone
                            }
                        });
        reader.start();
        try {
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            int port =
                    await().atMost(Duration.ofSeconds(60))
                            .until(
                                    () ->
                                            output.stream()
                                                    .map(listening::matcher)
                                                    .filter(Matcher::find)
                                                    .map(m -> Integer.parseInt(m.group(1)))
                                                    .findFirst()
                                                    .orElse(-1),
                                    p -> p > 0);
            try (RawClient slow = streaming(port, LONG)) {

                // SIGTERM; Process.destroy() would also close our end of the child's output.
                process.toHandle().destroy();

                slow.readToEnd();
                assertTrue(
                        slow.endedCleanly() && slow.text().endsWith(SHUTDOWN_EVENT), slow.text());
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exited: " + output);
                assertEquals(143, process.exitValue(), "128 + SIGTERM: " + output);
                reader.join(10_000); // everything the process printed before it exited
                RecordedStream ended = recorded(slow);
                assertEquals(Outcome.RELAY_SHUTDOWN, ended.outcome(), ended.toString());
                assertTrue(
                        output.stream().anyMatch(l -> l.contains("streammeter relay stopped")),
                        String.join("\n", output));
            }
        } finally {
            process.destroyForcibly();
            reader.join(10_000);
        }
    }
}
