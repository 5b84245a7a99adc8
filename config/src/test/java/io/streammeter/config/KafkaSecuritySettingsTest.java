package io.streammeter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

/** Kafka security settings pass through untouched, stay out of logs, and a refusal is one line. */
class KafkaSecuritySettingsTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"relay\" password=\"s3cret\";";

    private static final ConfigLoader LOADER =
            new ConfigLoader(
                    new ConfigDef(),
                    "TEST_",
                    ConfigLoader.FileFormat.PROPERTIES,
                    List.of("kafka."));

    @Test
    void shouldPassSecurityAndConfigProviderSettingsThroughFromFlagsAndEnvironment() {
        Map<String, String> kafka =
                LOADER.load(
                                List.of(
                                        "--kafka.security.protocol=SASL_SSL",
                                        "--kafka.sasl.mechanism=SCRAM-SHA-512",
                                        "--kafka.sasl.jaas.config=${file:/run/secrets/kafka:jaas}",
                                        "--kafka.config.providers=file,env"),
                                Map.of(
                                        "TEST_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/trust.p12",
                                        "TEST_KAFKA_SSL_TRUSTSTORE_PASSWORD", "${env:TRUST_PW}",
                                        "TEST_KAFKA_CONFIG_PROVIDERS_FILE_CLASS",
                                                "org.apache.kafka.common.config.provider.FileConfigProvider",
                                        "TEST_KAFKA_CONFIG_PROVIDERS_ENV_CLASS",
                                                "org.apache.kafka.common.config.provider.EnvVarConfigProvider"))
                        .passThrough("kafka.");

        assertEquals("SASL_SSL", kafka.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", kafka.get("sasl.mechanism"));
        assertEquals(
                "${file:/run/secrets/kafka:jaas}",
                kafka.get("sasl.jaas.config"),
                "left for the Kafka client's own config provider to resolve");
        assertEquals("file,env", kafka.get("config.providers"));
        assertEquals(
                "org.apache.kafka.common.config.provider.FileConfigProvider",
                kafka.get("config.providers.file.class"));
        assertEquals(
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                kafka.get("config.providers.env.class"));
        assertEquals("/etc/trust.p12", kafka.get("ssl.truststore.location"));
        assertEquals("${env:TRUST_PW}", kafka.get("ssl.truststore.password"));
    }

    record Settings(String name, Map<String, String> kafka) {}

    @Test
    void shouldHideEverySecretKafkaSetting() {
        String shown =
                Redaction.toString(
                        new Settings(
                                "x",
                                Map.of(
                                        "sasl.jaas.config", JAAS,
                                        "ssl.keystore.password", "kp",
                                        "ssl.truststore.password", "tp",
                                        "ssl.key.password", "keyp",
                                        "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                                        "security.protocol", "SASL_SSL",
                                        "sasl.mechanism", "SCRAM-SHA-512",
                                        "config.providers", "file")),
                        new ConfigDef());

        for (String secret : List.of("s3cret", "kp", "tp", "keyp", "BEGIN PRIVATE")) {
            assertFalse(shown.contains("=" + secret), secret + " shown: " + shown);
        }
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("security.protocol=SASL_SSL"), shown);
        assertTrue(shown.contains("sasl.mechanism=SCRAM-SHA-512"), shown);
        assertTrue(shown.contains("config.providers=file"), shown);
    }

    @Test
    void shouldNameTheUserAndTheJaasSettingWhenALoginIsRefused() {
        String line =
                KafkaAccessCheck.message(
                        new SaslAuthenticationException(
                                "Authentication failed during authentication due to invalid"
                                        + " credentials with SASL mechanism SCRAM-SHA-512"),
                        Map.of("sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS),
                        "kafka.producer.");

        assertEquals(
                "kafka: authentication failed for SASL/SCRAM-SHA-512 user 'relay'"
                        + " (kafka.producer.sasl.jaas.config): Authentication failed during"
                        + " authentication due to invalid credentials with SASL mechanism"
                        + " SCRAM-SHA-512",
                line);
        assertFalse(line.contains("s3cret"));
    }

    @Test
    void shouldNameTheTruststoreWhenTheBrokerIsNotTrusted() {
        String line =
                KafkaAccessCheck.message(
                        new SslAuthenticationException(
                                "SSL handshake failed",
                                new RuntimeException("PKIX path building failed\nsecond line")),
                        Map.of("ssl.truststore.location", "/etc/trust.p12"),
                        "kafka.");

        assertEquals(
                "kafka: TLS handshake failed (kafka.ssl.truststore.location,"
                        + " kafka.ssl.keystore.location for mTLS): PKIX path building failed",
                line);
    }

    @Test
    void shouldReadTheUserOnlyFromALiteralJaasLine() {
        assertEquals("relay", KafkaAccessCheck.user(JAAS));
        assertNull(KafkaAccessCheck.user("${file:/run/secrets/kafka:jaas}"));
    }

    @Test
    void shouldNotDelayAPlaintextStartWhenTheClusterIsDown() {
        long start = System.nanoTime();
        KafkaAccessCheck.check(
                Map.of("bootstrap.servers", "127.0.0.1:1"), "kafka.", Duration.ofSeconds(5));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000);
    }
}
