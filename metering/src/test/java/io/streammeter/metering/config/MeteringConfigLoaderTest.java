package io.streammeter.metering.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class MeteringConfigLoaderTest {

    @Test
    void shouldReadFileThenEnvironmentThenFlags(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metering.yaml");
        Files.writeString(
                file,
                "orphan-timeout: 20m\nspend-grace: PT2H\nquery-port: 9000\nkafka:\n  num.stream.threads: 2\n");

        MeteringConfig config =
                MeteringConfigLoader.load(
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
        MeteringConfig config = MeteringConfigLoader.load(List.of(), Map.of());

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
                        () -> MeteringConfigLoader.load(List.of("--orphan-timout=1m"), Map.of()));
        assertTrue(
                flag.getMessage().contains("Unknown setting 'orphan-timout' in flags"),
                flag.getMessage());
        var env =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MeteringConfigLoader.load(
                                        List.of(), Map.of("STREAMMETER_METERING_ORPHANS", "1")));
        assertTrue(env.getMessage().contains("STREAMMETER_METERING_ORPHANS"), env.getMessage());
    }

    @Test
    void shouldValidateValuesNamingTheKey() {
        assertMessage("orphan-timeout: not a duration", "--orphan-timeout=soon");
        assertMessage(
                "rate-threshold-permille must be in 0..999", "--rate-threshold-permille=1000");
        assertMessage(
                "spend-retention must be at least one hour plus spend-grace",
                "--spend-retention=1h",
                "--spend-grace=1h");
        assertMessage("processing-guarantee has no value 'twice'", "--processing-guarantee=twice");
        assertMessage("query-port must be a whole number", "--query-port=http");
    }

    @Test
    void shouldParseShortAndIsoDurations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("PT10M"));
    }

    private static void assertMessage(String expected, String... flags) {
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MeteringConfigLoader.load(List.of(flags), Map.of()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
