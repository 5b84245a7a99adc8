package io.streammeter.metering.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.metering.config.MeteringConfig.ProcessingGuarantee;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteringConfigTest {

    @Test
    void shouldReadFileThenEnvironmentThenFlags(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metering.yaml");
        Files.writeString(
                file,
                "orphan-timeout: 20m\nspend-grace: PT2H\nquery-port: 9000\nkafka:\n  num.stream.threads: 2\n");

        MeteringConfig config =
                MeteringConfig.load(
                        List.of(
                                "--config=" + file,
                                "--query-port",
                                "9002",
                                "--kafka.commit.interval.ms=50"),
                        Map.of(
                                "STREAMMETER_METERING_QUERY_PORT",
                                "9001",
                                "STREAMMETER_METERING_SPEND_GRACE",
                                "30m",
                                "STREAMMETER_METERING_KAFKA_NUM_STREAM_THREADS",
                                "3",
                                "PATH",
                                "/bin"));

        assertEquals(Duration.ofMinutes(20), config.orphanTimeout());
        assertEquals(Duration.ofMinutes(30), config.spendGrace(), "environment over file");
        assertEquals(9002, config.queryPort(), "flags over environment");
        assertEquals(Map.of("num.stream.threads", "3", "commit.interval.ms", "50"), config.kafka());
    }

    @Test
    void shouldDefaultToExactlyOnceAndTenMinuteOrphans() {
        MeteringConfig config = MeteringConfig.load(List.of(), Map.of());

        assertEquals(MeteringConfig.defaults(), config);
        assertEquals(ProcessingGuarantee.EXACTLY_ONCE_V2, config.processingGuarantee());
        assertEquals(Duration.ofMinutes(10), config.orphanTimeout());
        assertEquals(Duration.ofMinutes(5), config.rateWindow());
    }

    @Test
    void shouldRejectUnknownKeysNamingThem() {
        var flag =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MeteringConfig.load(List.of("--orphan-timout=1m"), Map.of()));
        assertTrue(
                flag.getMessage().contains("Unknown setting 'orphan-timout' in flags"),
                flag.getMessage());
        var env =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MeteringConfig.load(
                                        List.of(), Map.of("STREAMMETER_METERING_ORPHANS", "1")));
        assertTrue(env.getMessage().contains("STREAMMETER_METERING_ORPHANS"), env.getMessage());
    }

    @Test
    void shouldValidateValuesNamingTheKey() {
        assertMessage(
                "orphan-timeout from flags: not a duration: 'soon'",
                "accepted: a duration such as 500ms",
                "--orphan-timeout=soon");
        assertMessage(
                "rate-threshold-permille from flags: Value must be no more than 999",
                "accepted: [0,...,999]",
                "--rate-threshold-permille=1000");
        assertMessage(
                "spend-retention must be at least one hour plus spend-grace",
                "(from flags)",
                "--spend-retention=1h",
                "--spend-grace=1h");
        assertMessage(
                "processing-guarantee from flags: no value 'twice'",
                "accepted: exactly_once_v2|at_least_once",
                "--processing-guarantee=twice");
        assertMessage(
                "query-port from flags: Not a number of type INT",
                "accepted: [0,...,65535]",
                "--query-port=http");
    }

    @Test
    void shouldChangeOneKeyAndKeepTheRestAndHideKafkaSecrets() {
        MeteringConfig config =
                MeteringConfig.defaults()
                        .with("rate-min-streams", "4")
                        .withKafka(Map.of("sasl.jaas.config", "Login password=\"hunter2\";"))
                        .with("processing-guarantee", "at_least_once");

        assertEquals(4, config.rateMinStreams());
        assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, config.processingGuarantee());
        assertEquals(MeteringConfig.defaults().orphanTimeout(), config.orphanTimeout());
        assertEquals("Login password=\"hunter2\";", config.kafka().get("sasl.jaas.config"));
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }

    @Test
    void shouldDocumentEveryKeyInTheExampleFileAndLoadIt() {
        Path example = Path.of("config", "metering.example.yaml");

        MeteringConfig config = MeteringConfig.load(List.of("--config=" + example), Map.of());

        assertEquals(MeteringConfig.defaults().orphanTimeout(), config.orphanTimeout());
        assertEquals("1", config.kafka().get("num.stream.threads"));
        assertEquals(MeteringConfig.AuthMode.TOKEN, config.authMode());
        assertEquals(Path.of("/etc/streammeter/admin-token"), config.authAdminTokenFile());
        for (String key : MeteringConfig.DEFINITION.names()) {
            String last = key.substring(key.lastIndexOf('.') + 1);
            assertTrue(
                    exampleText().contains(last + ":"), "metering.example.yaml documents " + key);
        }
    }

    @Test
    void shouldBindLoopbackAndAskForATokenByDefault() {
        MeteringConfig config = MeteringConfig.defaults();
        assertEquals("127.0.0.1", config.queryHost());
        assertEquals(MeteringConfig.AuthMode.TOKEN, config.authMode());
        assertEquals(null, config.authAdminTokenFile());
        assertEquals(
                MeteringConfig.AuthMode.NONE,
                MeteringConfig.load(List.of("--auth.mode=none"), Map.of()).authMode());
        assertMessage("auth.mode", "token", "--auth.mode=open");
    }

    private static String exampleText() {
        try {
            return java.nio.file.Files.readString(Path.of("config", "metering.example.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertMessage(String expected, String accepted, String... flags) {
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MeteringConfig.load(List.of(flags), Map.of()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(accepted), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
