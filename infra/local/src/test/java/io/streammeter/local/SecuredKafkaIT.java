package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.EmbeddedKafka;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.relay.Relay;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.schemas.TopicCatalog;
import io.streammeter.simulator.Script;
import io.streammeter.simulator.Simulator;
import io.streammeter.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with a SASL_SSL (SCRAM-SHA-512) listener, an mTLS listener and an ACL authorizer; the
 * relay logs in with SCRAM (its JAAS line read from a file through Kafka's FileConfigProvider),
 * metering with a client certificate, the CLI with {@code --command-config}. Each holds only the
 * ACLs docs/security.md lists, and the whole path relay → broker → metering → export runs under
 * them. The plaintext listener is the test's own (its anonymous principal is a super user) and is
 * used only to create users and ACLs.
 */
class SecuredKafkaIT {
    private static final String PREFIX = "sec.";
    private static final String APP_ID = "sec-metering";
    private static final String PASSWORD = "changeit";
    private static final TopicCatalog CATALOG = new TopicCatalog(PREFIX);

    @TempDir static Path dir;
    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static Path truststore;
    private static Path meteringKeystore;
    private static Path opsConfig;
    private static String upstream = "http://127.0.0.1:1/v1";

    @BeforeAll
    static void start() throws Exception {
        certificates();
        Map<String, Object> broker = new HashMap<>();
        broker.put(
                "listeners",
                "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SECURE://localhost:0,"
                        + "MTLS://localhost:0");
        broker.put(
                "listener.security.protocol.map",
                "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL,MTLS:SSL");
        broker.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        broker.put(
                "listener.name.secure.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        broker.put("ssl.keystore.type", "PKCS12");
        broker.put("ssl.keystore.location", dir.resolve("broker.p12").toString());
        broker.put("ssl.keystore.password", PASSWORD);
        broker.put("ssl.key.password", PASSWORD);
        broker.put("ssl.truststore.type", "PKCS12");
        broker.put("ssl.truststore.location", truststore.toString());
        broker.put("ssl.truststore.password", PASSWORD);
        broker.put("listener.name.mtls.ssl.client.auth", "required");
        // The certificate's CN is the principal: User:metering
        broker.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
        broker.put(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        broker.put("allow.everyone.if.no.acl.found", "false");
        broker.put("super.users", "User:ANONYMOUS;User:ops");
        kafka = EmbeddedKafka.start(1, broker);
        admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()));
        admin.alterUserScramCredentials(
                        List.of(scram("relay", "relay-secret"), scram("ops", "ops-secret")))
                .all()
                .get(30, TimeUnit.SECONDS);
        admin.createAcls(acls()).all().get(30, TimeUnit.SECONDS);

        opsConfig = dir.resolve("ops.properties");
        Files.writeString(
                opsConfig,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"ops\" password=\"ops-secret\";\n"
                        + "ssl.truststore.type=PKCS12\n"
                        + "ssl.truststore.location="
                        + truststore
                        + "\nssl.truststore.password="
                        + PASSWORD
                        + "\n");

        // The CLI through --command-config as ops creates the topics every test uses.
        CliRun topics =
                CliRun.of(
                        "topics",
                        "--bootstrap",
                        kafka.bootstrapServers("SECURE"),
                        "--topic-prefix",
                        PREFIX,
                        "--command-config",
                        opsConfig.toString());
        assertEquals(0, topics.exitCode(), topics.toString());
        assertTrue(
                topics.out().contains("created  " + PREFIX + "stream-events"), topics.toString());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The ACLs of docs/security.md, and nothing more. */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        // relay: write its events, nothing else (idempotence needs no IdempotentWrite since 3.0)
        acls.add(allow("relay", ResourceType.TOPIC, PREFIX + "stream-events", AclOperation.WRITE));
        // metering: read events, write its outputs, own its internal topics, group, transactions
        acls.add(
                allow("metering", ResourceType.TOPIC, PREFIX + "stream-events", AclOperation.READ));
        for (String out :
                List.of(
                        CATALOG.streamSummaries().name(),
                        CATALOG.spendHourly().name(),
                        CATALOG.spendLate().name(),
                        CATALOG.missingUsageAlerts().name(),
                        CATALOG.missingUsageRateAlerts().name())) {
            acls.add(allow("metering", ResourceType.TOPIC, out, AclOperation.WRITE));
        }
        acls.add(prefixed("metering", ResourceType.TOPIC, APP_ID, AclOperation.ALL));
        acls.add(prefixed("metering", ResourceType.GROUP, APP_ID, AclOperation.READ));
        acls.add(prefixed("metering", ResourceType.TRANSACTIONAL_ID, APP_ID, AclOperation.WRITE));
        acls.add(
                prefixed("metering", ResourceType.TRANSACTIONAL_ID, APP_ID, AclOperation.DESCRIBE));
        return acls;
    }

    @Test
    void shouldMeterAStreamEndToEndUnderTheAcls() throws Exception {
        Vertx vertx = Vertx.vertx();
        Simulator simulator =
                Simulator.start(vertx, SimulatorConfig.defaults().withPort(0))
                        .await(30, TimeUnit.SECONDS);
        upstream = simulator.baseUrl() + "/v1";
        Metering metering = Metering.start(meteringConfig());
        Relay relay = null;
        try {
            relay =
                    Relay.start(vertx, relayConfig(relayJaasFromFile()))
                            .await(30, TimeUnit.SECONDS);
            assertTrue(
                    metering.awaitRunning(Duration.ofSeconds(60)), "metering runs under its ACLs");

            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + relay.port()
                                                                    + "/v1/chat/completions"))
                                            .header("Authorization", "Bearer sk-secured-alpha")
                                            .header("Content-Type", "application/json")
                                            .header(Script.HEADER, "chunks=5")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofString(
                                                            "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                                                                    + "\"stream_options\":{\"include_usage\":true},"
                                                                    + "\"messages\":[{\"role\":\"user\","
                                                                    + "\"content\":\"hi\"}]}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());

            Path out = dir.resolve("spend.csv");
            String csv =
                    await("a line item is exported through --command-config")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(500))
                            .until(
                                    () -> {
                                        CliRun export =
                                                CliRun.of(
                                                        "export",
                                                        "spend",
                                                        "--from",
                                                        LocalDate.now(ZoneOffset.UTC)
                                                                .minusDays(1)
                                                                .toString(),
                                                        "--to",
                                                        LocalDate.now(ZoneOffset.UTC)
                                                                .plusDays(2)
                                                                .toString(),
                                                        "--format",
                                                        "csv",
                                                        "--out",
                                                        out.toString(),
                                                        "--bootstrap",
                                                        kafka.bootstrapServers("SECURE"),
                                                        "--topic-prefix",
                                                        PREFIX,
                                                        "--command-config",
                                                        opsConfig.toString());
                                        assertEquals(0, export.exitCode(), export.toString());
                                        return Files.readString(out);
                                    },
                                    text -> text.lines().count() >= 2);
            assertTrue(csv.contains("gpt-4o-mini"), csv);
        } finally {
            if (relay != null) {
                relay.shutdown().await(60, TimeUnit.SECONDS);
            }
            metering.close();
            simulator.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordInOneLineAtOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            long start = System.nanoTime();
            Exception failure =
                    assertThrows(
                            Exception.class,
                            () ->
                                    Relay.start(
                                                    vertx,
                                                    relayConfig(
                                                            Map.of(
                                                                    "kafka.producer.sasl.jaas.config",
                                                                    jaas("relay", "wrong"))))
                                            .await(30, TimeUnit.SECONDS));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String message = failure.getMessage();
            assertTrue(
                    message.startsWith(
                            "kafka: authentication failed for SASL/SCRAM-SHA-512 user 'relay'"
                                    + " (kafka.producer.sasl.jaas.config): "),
                    message);
            assertEquals(1, message.lines().count(), message);
            assertFalse(message.contains("wrong"), "no password in the message: " + message);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "fast: " + took);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }

        CliRun topics =
                CliRun.of(
                        "topics",
                        "--bootstrap",
                        kafka.bootstrapServers("SECURE"),
                        "--topic-prefix",
                        PREFIX,
                        "--command-config",
                        write(
                                        "bad.properties",
                                        Files.readString(opsConfig).replace("ops-secret", "nope"))
                                .toString());
        assertEquals(1, topics.exitCode(), topics.toString());
        assertEquals(1, topics.err().strip().lines().count(), topics.toString());
        assertTrue(
                topics.err()
                        .startsWith(
                                "streammeter: kafka: authentication failed for SASL/SCRAM-SHA-512"
                                        + " user 'ops' (--command-config sasl.jaas.config)"),
                topics.toString());
    }

    @Test
    void shouldNameTheTruststoreWhenTheBrokerIsNotTrusted() throws Exception {
        Path other = dir.resolve("other-trust.p12");
        KeyPair ca = keyPair();
        trustStore(other, self("CN=someone-else", ca));
        Vertx vertx = Vertx.vertx();
        try {
            Map<String, String> settings = new HashMap<>();
            settings.put("kafka.producer.ssl.truststore.location", other.toString());
            settings.put("kafka.producer.sasl.jaas.config", jaas("relay", "relay-secret"));
            Exception failure =
                    assertThrows(
                            Exception.class,
                            () ->
                                    Relay.start(vertx, relayConfig(settings))
                                            .await(30, TimeUnit.SECONDS));
            assertTrue(
                    failure.getMessage()
                            .startsWith(
                                    "kafka: TLS handshake failed"
                                            + " (kafka.producer.ssl.truststore.location"),
                    failure.getMessage());
            assertEquals(1, failure.getMessage().lines().count(), failure.getMessage());
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStopMeteringInOneLineWithoutItsClientCertificate() {
        long start = System.nanoTime();
        IllegalStateException failure =
                assertThrows(
                        IllegalStateException.class,
                        () -> Metering.start(meteringConfig(false)).close());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(
                failure.getMessage()
                        .startsWith(
                                "kafka: TLS handshake failed (kafka.ssl.truststore.location,"
                                        + " kafka.ssl.keystore.location for mTLS): "),
                failure.getMessage());
        assertEquals(1, failure.getMessage().lines().count(), failure.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "fast: " + took);
    }

    @Test
    void shouldDenyTheRelayEveryOtherTopic() throws Exception {
        Map<String, Object> relay = new HashMap<>(clientSettings("relay", "relay-secret"));
        relay.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        admin.createTopics(
                        List.of(
                                new org.apache.kafka.clients.admin.NewTopic(
                                        PREFIX + "other", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(relay, new ByteArraySerializer(), new ByteArraySerializer())) {
            ExecutionException denied =
                    assertThrows(
                            ExecutionException.class,
                            () ->
                                    producer.send(
                                                    new ProducerRecord<>(
                                                            PREFIX + "other", new byte[1]))
                                            .get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, denied.getCause());
        }
        Map<String, Object> reader = new HashMap<>(clientSettings("relay", "relay-secret"));
        // no group: the fetch itself must be refused, not just a group the relay has no ACL for
        reader.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(
                    List.of(
                            new org.apache.kafka.common.TopicPartition(
                                    PREFIX + "stream-events", 0)));
            assertThrows(
                    TopicAuthorizationException.class,
                    () -> consumer.poll(Duration.ofSeconds(10)),
                    "the relay cannot read even its own events");
        }
    }

    // --- configuration of each component

    private static Map<String, String> relayJaasFromFile() throws Exception {
        Path secrets =
                write(
                        "relay-secrets.properties",
                        "jaas=" + jaas("relay", "relay-secret").replace("\"", "\\\"") + "\n");
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.producer.config.providers", "file");
        settings.put(
                "kafka.producer.config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider");
        settings.put("kafka.producer.sasl.jaas.config", "${file:" + secrets + ":jaas}");
        return settings;
    }

    private static RelayConfig relayConfig(Map<String, String> security) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listen.host", "127.0.0.1");
        settings.put("listen.port", "0");
        settings.put("upstream.name", "simulator");
        settings.put("upstream.base-url", upstream);
        settings.put("key-id.pepper", "secured-kafka-test-pepper-0123456789");
        settings.put("metrics.auth", "none"); // nothing here reads the relay's /metrics
        settings.put("spool.dir", Files.createTempDirectory(dir, "spool").toString());
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers("SECURE"));
        settings.put("kafka.topic-prefix", PREFIX);
        settings.put("kafka.producer.security.protocol", "SASL_SSL");
        settings.put("kafka.producer.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("kafka.producer.ssl.truststore.type", "PKCS12");
        settings.put("kafka.producer.ssl.truststore.location", truststore.toString());
        settings.put("kafka.producer.ssl.truststore.password", PASSWORD);
        settings.putAll(security);
        return RelayConfig.of(settings);
    }

    private static MeteringConfig meteringConfig() throws Exception {
        return meteringConfig(true);
    }

    private static MeteringConfig meteringConfig(boolean certificate) throws Exception {
        Map<String, String> kafkaSettings = new HashMap<>();
        kafkaSettings.put("security.protocol", "SSL");
        if (certificate) {
            kafkaSettings.put("ssl.keystore.type", "PKCS12");
            kafkaSettings.put("ssl.keystore.location", meteringKeystore.toString());
            kafkaSettings.put("ssl.keystore.password", PASSWORD);
            kafkaSettings.put("ssl.key.password", PASSWORD);
        }
        kafkaSettings.put("ssl.truststore.type", "PKCS12");
        kafkaSettings.put("ssl.truststore.location", truststore.toString());
        kafkaSettings.put("ssl.truststore.password", PASSWORD);
        kafkaSettings.put("commit.interval.ms", "500");
        return MeteringConfig.defaults()
                .with("bootstrap-servers", kafka.bootstrapServers("MTLS"))
                .with("topic-prefix", PREFIX)
                .with("application-id", APP_ID)
                .with("state-dir", dir.resolve("metering").toString())
                .with("query-host", "127.0.0.1")
                .with("query-port", "0")
                .with("auth.admin-token-file", AdminTokenFile.ensure(dir).toString())
                .withKafka(kafkaSettings);
    }

    private static Map<String, Object> clientSettings(String user, String password) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", kafka.bootstrapServers("SECURE"));
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", jaas(user, password));
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", truststore.toString());
        settings.put("ssl.truststore.password", PASSWORD);
        return settings;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    private static UserScramCredentialUpsertion scram(String user, String password) {
        return new UserScramCredentialUpsertion(
                user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password);
    }

    private static AclBinding allow(
            String user, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static AclBinding prefixed(
            String user, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.PREFIXED),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    // --- certificates: one CA, the broker's (localhost), metering's client certificate

    private static void certificates() throws Exception {
        KeyPair caKeys = keyPair();
        X509Certificate ca = self("CN=streammeter-test-ca", caKeys);
        KeyPair brokerKeys = keyPair();
        X509Certificate broker =
                sign("CN=localhost", brokerKeys.getPublic(), ca, caKeys.getPrivate(), true);
        keyStore(dir.resolve("broker.p12"), brokerKeys.getPrivate(), broker, ca);
        KeyPair meteringKeys = keyPair();
        X509Certificate metering =
                sign("CN=metering", meteringKeys.getPublic(), ca, caKeys.getPrivate(), false);
        meteringKeystore = dir.resolve("metering.p12");
        keyStore(meteringKeystore, meteringKeys.getPrivate(), metering, ca);
        truststore = dir.resolve("truststore.p12");
        trustStore(truststore, ca);
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate self(String name, KeyPair keys) throws Exception {
        X500Name subject = new X500Name(name);
        Instant now = Instant.now();
        var builder =
                new JcaX509v3CertificateBuilder(
                        subject,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        subject,
                        keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(
                                new JcaContentSignerBuilder("SHA256withECDSA")
                                        .build(keys.getPrivate())));
    }

    private static X509Certificate sign(
            String name, PublicKey key, X509Certificate ca, PrivateKey caKey, boolean server)
            throws Exception {
        Instant now = Instant.now();
        var builder =
                new JcaX509v3CertificateBuilder(
                        ca,
                        BigInteger.valueOf(System.nanoTime()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        new X500Name(name),
                        key);
        if (server) {
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                            new GeneralName[] {
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                            }));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    }

    private static void keyStore(
            Path file, PrivateKey key, X509Certificate cert, X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", key, PASSWORD.toCharArray(), new Certificate[] {cert, ca});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static void trustStore(Path file, X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }
}
