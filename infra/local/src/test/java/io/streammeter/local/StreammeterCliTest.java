package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreammeterCliTest {

    @Test
    void shouldExitWithTwoAndOneLineOnAnUnknownFlag() {
        var run = CliRun.of("topics", "--no-such-flag");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(
                run.err().startsWith("streammeter: Unknown option: '--no-such-flag'"),
                run.toString());
    }

    @Test
    void shouldExitWithTwoOnABadDateWithoutAStackTrace() {
        var run =
                CliRun.of(
                        "export",
                        "spend",
                        "--from",
                        "yesterday",
                        "--to",
                        "2026-12-01",
                        "--bootstrap",
                        "127.0.0.1:1");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(
                "streammeter: --from 'yesterday' is neither an ISO date (2026-11-01) nor an ISO"
                        + " instant (2026-11-01T00:00:00Z)",
                run.err().strip(),
                run.toString());
    }

    @Test
    void shouldPrintHelpForEverySubcommand() {
        for (String command : new String[] {"topics", "export"}) {
            var run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("Usage: streammeter " + command), run.toString());
        }
    }

    @Test
    void shouldSayInOneLineThatKafkaIsUnreachable() {
        var run = CliRun.of("topics", "--bootstrap", "127.0.0.1:1", "--kafka-timeout", "PT1S");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(
                "streammeter: Kafka at 127.0.0.1:1 is not reachable within PT1S",
                run.err().strip(),
                run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose");
    }
}
