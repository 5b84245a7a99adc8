package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stack that cannot start says why in one line, naming the flag, and exits 1 at once. */
class StartupFailuresTest {
    @TempDir Path dataDir;

    @Test
    void shouldNameEachClashingPortAndItsFlagInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            for (String flag : new String[] {"--kafka-port", "--relay-port", "--api-port"}) {
                List<String> args =
                        new ArrayList<>(List.of("local", "--data-dir", dataDir.toString()));
                for (String other :
                        new String[] {
                            "--kafka-port", "--relay-port", "--api-port", "--simulator-port"
                        }) {
                    args.addAll(List.of(other, other.equals(flag) ? port : freePort()));
                }
                CliRun run =
                        assertTimeoutPreemptively(
                                Duration.ofSeconds(5),
                                () -> CliRun.of(args.toArray(String[]::new)));

                assertEquals(1, run.exitCode(), run.toString());
                String error = run.err().strip();
                assertEquals(1, error.lines().count(), run.toString());
                assertTrue(
                        error.startsWith("streammeter: port " + port + " on 127.0.0.1 is in use"),
                        run.toString());
                assertTrue(error.endsWith("choose another with " + flag), run.toString());
                assertFalse(run.err().contains("\tat "), "no stack trace without --verbose");
            }
        }
        assertFalse(Files.exists(dataDir.resolve("kafka-logs")), "nothing was started");
    }

    @Test
    void shouldRefuseFewerThanOneBrokerInOneLine() {
        CliRun run =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5),
                        () ->
                                CliRun.of(
                                        "local",
                                        "--data-dir",
                                        dataDir.toString(),
                                        "--brokers",
                                        "0"));

        assertEquals(StreammeterCli.EXIT_USAGE, run.exitCode(), run.toString());
        assertEquals(
                "streammeter: --brokers must be at least 1: 0", run.err().strip(), run.toString());
    }

    /** A port free now; the controller's (+1) is checked as well, so keep it free too. */
    private static String freePort() throws Exception {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int port = socket.getLocalPort();
                try (ServerSocket next =
                        new ServerSocket(port + 1, 1, InetAddress.getByName("127.0.0.1"))) {
                    return Integer.toString(port);
                } catch (java.io.IOException taken) {
                    // try another
                }
            }
        }
    }
}
