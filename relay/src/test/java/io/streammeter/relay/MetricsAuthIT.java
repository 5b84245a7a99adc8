package io.streammeter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.relay.support.Harness;
import io.streammeter.relay.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} asks for the bearer token of {@code metrics.token-file} by default; the probes
 * stay open; {@code metrics.auth=none} opens it; a relay with neither refuses to start.
 */
@ExtendWith(KafkaExtension.class)
class MetricsAuthIT {
    private static final String TOKEN = "metrics-token-of-the-test-0123";

    @Test
    void shouldServeMetricsOnlyForTheToken(TestKafka kafka, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics-token");
        Files.writeString(file, TOKEN + "\n");
        try (Harness harness =
                Harness.start(
                        kafka,
                        "metrics-auth",
                        Map.of("metrics.auth", "token", "metrics.token-file", file.toString()))) {
            String url = harness.url("/metrics");

            Http.Response none = Http.get(url);
            assertEquals(401, none.status(), none.toString());
            assertTrue(none.text().contains("\"code\":\"missing_api_key\""), none.text());
            assertFalse(none.text().contains("# TYPE"), none.text());

            Http.Response wrong = Http.get(url, "Authorization", "Bearer " + TOKEN + "x");
            assertEquals(401, wrong.status(), wrong.toString());
            assertTrue(wrong.text().contains("\"code\":\"invalid_api_key\""), wrong.text());
            assertFalse(wrong.text().contains("# TYPE"), wrong.text());
            assertFalse(wrong.text().contains(TOKEN), "the token is never echoed");

            Http.Response basic = Http.get(url, "Authorization", "Basic " + TOKEN);
            assertEquals(401, basic.status(), basic.toString());

            Http.Response right = Http.get(url, "Authorization", "Bearer " + TOKEN);
            assertEquals(200, right.status(), right.toString());
            assertTrue(right.text().contains("# TYPE"), right.text());

            assertEquals(200, Http.get(harness.url("/healthz")).status(), "/healthz stays open");
            assertTrue(Http.get(harness.url("/readyz")).status() != 401, "/readyz stays open");
        }
    }

    @Test
    void shouldServeMetricsToAnyoneWithAuthNone(TestKafka kafka) {
        try (Harness harness =
                Harness.start(kafka, "metrics-open", Map.of("metrics.auth", "none"))) {
            Http.Response open = Http.get(harness.url("/metrics"));
            assertEquals(200, open.status(), open.toString());
            assertTrue(open.text().contains("# TYPE"), open.text());
        }
    }

    @Test
    void shouldRefuseToStartWithTokenAuthAndNoTokenFile(TestKafka kafka, @TempDir Path dir)
            throws Exception {
        try (Harness harness = Harness.start(kafka, "metrics-refusal")) {
            Map<String, String> settings = new HashMap<>(harness.config());
            settings.put("metrics.auth", "token");
            settings.remove("metrics.token-file");
            RelayConfig config = RelayConfig.of(settings); // the settings themselves are valid
            String missing = refusal(harness, config);
            assertTrue(missing.contains("metrics.auth"), missing);
            assertTrue(missing.contains("metrics.token-file"), missing);
            assertFalse(missing.contains("\n"), "one line: " + missing);

            Path shortToken = dir.resolve("short");
            Files.writeString(shortToken, "too-short");
            settings.put("metrics.token-file", shortToken.toString());
            String tooShort = refusal(harness, RelayConfig.of(settings));
            assertTrue(tooShort.startsWith("metrics.token-file: "), tooShort);
            assertFalse(tooShort.contains("too-short\n"), tooShort);

            settings.put("metrics.token-file", dir.resolve("absent").toString());
            String absent = refusal(harness, RelayConfig.of(settings));
            assertTrue(absent.startsWith("metrics.token-file: cannot read"), absent);
        }
    }

    @Test
    void shouldDefaultToTokenAuth() {
        RelayConfig config =
                RelayConfig.of(Map.of("key-id.pepper", Harness.PEPPER, "spool.dir", "spool"));
        assertEquals(io.streammeter.relay.config.MetricsAuth.TOKEN, config.metricsAuth());
    }

    private static String refusal(Harness harness, RelayConfig config) {
        Throwable failure =
                assertThrows(
                        Exception.class,
                        () -> Relay.start(harness.vertx(), config).await(30, TimeUnit.SECONDS));
        while (!(failure instanceof IllegalArgumentException) && failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertTrue(failure instanceof IllegalArgumentException, String.valueOf(failure));
        return failure.getMessage();
    }
}
