package io.streammeter.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.config.ConfigLoader.FileFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final ConfigDef DEF =
            new ConfigDef()
                    .define("port", INT, 80, ConfigDef.Range.between(0, 65535), MEDIUM, "Port.")
                    .define(
                            "idle-timeout",
                            STRING,
                            "30s",
                            ConfigTypes.durationAtLeast(Duration.ofMillis(1)),
                            MEDIUM,
                            "Idle.")
                    .define("name", STRING, "x", MEDIUM, "Name.")
                    .define("api-key", PASSWORD, null, MEDIUM, "Secret.");

    private static ConfigLoader loader(FileFormat format) {
        return new ConfigLoader(DEF, "TEST_", format, List.of("kafka."));
    }

    record Sample(
            int port, Duration idleTimeout, String name, String apiKey, Map<String, String> kafka) {
        static Sample of(LoadedConfig c) {
            return new Sample(
                    c.getInt("port"),
                    c.duration("idle-timeout"),
                    c.getString("name"),
                    c.optional("api-key"),
                    c.passThrough("kafka."));
        }
    }

    @Test
    void shouldLayerDefaultsFileEnvironmentAndFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(
                file,
                "port: 1\nname: file\nidle-timeout: 1m\nkafka:\n  linger.ms: 5\n  acks: all\n");

        Sample s =
                loader(FileFormat.YAML)
                        .load(
                                List.of("--port", "3", "--kafka.acks=1"),
                                Map.of(
                                        "TEST_CONFIG", file.toString(),
                                        "TEST_PORT", "2",
                                        "TEST_NAME", "env",
                                        "TEST_KAFKA_LINGER_MS", "7",
                                        "OTHER", "ignored"))
                        .build(Sample::of);

        assertEquals(3, s.port(), "flags over environment");
        assertEquals("env", s.name(), "environment over file");
        assertEquals(Duration.ofMinutes(1), s.idleTimeout(), "file over defaults");
        assertNull(s.apiKey());
        assertEquals(Map.of("linger.ms", "7", "acks", "1"), s.kafka());
    }

    @Test
    void shouldReadAPropertiesFileNamedByAFlag(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "port=9\napi-key=sk-secret\n");

        LoadedConfig c = loader(FileFormat.PROPERTIES).load(List.of("--config=" + file), Map.of());

        assertEquals(9, c.getInt("port"));
        assertEquals("sk-secret", c.optional("api-key"));
        assertEquals("file " + file, c.source("port"));
        assertEquals("defaults", c.source("name"));
    }

    @Test
    void shouldFailInOneLineNamingKeySourceAndAcceptedValues() {
        String bad =
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        loader(FileFormat.YAML)
                                                .load(List.of(), Map.of("TEST_IDLE_TIMEOUT", "0s")))
                        .getMessage();
        assertTrue(
                bad.startsWith(
                        "idle-timeout from environment TEST_IDLE_TIMEOUT: below 1ms; accepted: a duration"),
                bad);
        assertFalse(bad.contains("\n"), bad);

        String unknown =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> loader(FileFormat.YAML).of(Map.of("prot", "1")))
                        .getMessage();
        assertTrue(
                unknown.startsWith("Unknown setting 'prot' in settings; known: [api-key"), unknown);

        String cross =
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        loader(FileFormat.YAML)
                                                .load(List.of("--name=y"), Map.of())
                                                .build(
                                                        c -> {
                                                            throw new IllegalArgumentException(
                                                                    "name must not be y");
                                                        }))
                        .getMessage();
        assertEquals("name must not be y (from flags)", cross);
    }

    @Test
    void shouldPrintRecordsWithoutSecrets() {
        Sample s =
                loader(FileFormat.YAML)
                        .of(
                                Map.of(
                                        "api-key",
                                        "sk-hidden-1",
                                        "kafka.sasl.jaas.config",
                                        "password=hunter2",
                                        "kafka.linger.ms",
                                        "5"))
                        .build(Sample::of);

        String text = Redaction.toString(s, DEF);

        assertFalse(text.contains("sk-hidden-1") || text.contains("hunter2"), text);
        assertTrue(text.contains("linger.ms=5") && text.contains("port=80"), text);
        assertEquals(
                Map.of(
                        "port",
                        "80",
                        "idle-timeout",
                        "PT30S",
                        "name",
                        "x",
                        "api-key",
                        "sk-hidden-1"),
                RecordSettings.of(s, DEF));
    }

    @Test
    void shouldDocumentEveryKeyWithItsEnvironmentVariable() {
        String md = ConfigDocs.section("Test", "How the test reads.", loader(FileFormat.YAML));

        assertTrue(
                md.contains("| `idle-timeout` | duration | `30s` | a duration such as 500ms"), md);
        assertTrue(md.contains("`TEST_IDLE_TIMEOUT`"), md);
        assertTrue(md.contains("| `api-key` | secret | (none) |"), md);
        assertTrue(md.contains("`kafka.*` | pass-through"), md);
    }
}
