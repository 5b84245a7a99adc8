package io.streammeter.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.relay.Relay;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.schemas.TopicCatalog;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay and metering started with the manifests' environment (only what ties them to a place
 * replaced: Kafka, ports, state directory, internal-topic replication on the one test broker)
 * answer the manifests' liveness, readiness and scrape paths, and become ready.
 */
@ExtendWith(KafkaExtension.class)
class ProbesIT {
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String TOKEN = "the-admin-token-of-the-probes-test";

    @Test
    void shouldAnswerTheRelayProbesAndScrapePath(TestKafka kafka, @TempDir Path spool)
            throws Exception {
        TopicCatalog catalog = kafka.newCatalog("probes-relay");
        Map<String, String> env = new HashMap<>(ManifestContractTest.environment(relay()));
        env.put("STREAMMETER_RELAY_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("STREAMMETER_RELAY_KAFKA_TOPIC_PREFIX", catalog.prefix());
        env.put("STREAMMETER_RELAY_LISTEN_PORT", "0");
        env.put("STREAMMETER_RELAY_SPOOL_DIR", spool.toString());
        Path credentials = spool.resolve("credentials.properties");
        Files.writeString(credentials, "default=sk-stand-in\n");
        env.put("STREAMMETER_RELAY_AUTH_CREDENTIALS_FILE", credentials.toString());
        Path metricsToken = spool.resolve("metrics-token");
        Files.writeString(metricsToken, TOKEN + "\n");
        env.put("STREAMMETER_RELAY_METRICS_TOKEN_FILE", metricsToken.toString());
        // The same file stands in for metering's admin token, which reservations carry.
        env.put("STREAMMETER_RELAY_BUDGET_TOKEN_FILE", metricsToken.toString());
        Vertx vertx = Vertx.vertx();
        try {
            Relay relay =
                    Relay.start(vertx, RelayConfig.load(new String[0], env))
                            .await(30, TimeUnit.SECONDS);
            assertPaths(container(relay()), annotations(relay()), relay.port());
            relay.shutdown().await(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAnswerTheMeteringProbesAndScrapePath(TestKafka kafka, @TempDir Path state)
            throws Exception {
        TopicCatalog catalog = kafka.newCatalog("probes-metering");
        Map<String, String> env = new HashMap<>(ManifestContractTest.environment(metering()));
        env.put("STREAMMETER_METERING_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("STREAMMETER_METERING_TOPIC_PREFIX", catalog.prefix());
        env.put("STREAMMETER_METERING_APPLICATION_ID", "probes-" + System.nanoTime());
        env.put("STREAMMETER_METERING_QUERY_PORT", "0");
        env.put("STREAMMETER_METERING_APPLICATION_SERVER", "127.0.0.1");
        env.put("STREAMMETER_METERING_STATE_DIR", state.toString());
        Path token = state.resolve("admin-token");
        Files.writeString(token, TOKEN + "\n");
        env.put("STREAMMETER_METERING_AUTH_ADMIN_TOKEN_FILE", token.toString());
        env.put("STREAMMETER_METERING_KAFKA_REPLICATION_FACTOR", "1");
        try (Metering metering = Metering.start(MeteringConfig.load(List.of(), env))) {
            assertPaths(container(metering()), annotations(metering()), metering.queryPort());
        }
    }

    /** Liveness and scrape answer 200 at once; readiness becomes 200 once Kafka is reached. */
    static void assertPaths(Container container, Map<String, String> annotations, int port)
            throws Exception {
        String liveness = container.getLivenessProbe().getHttpGet().getPath();
        String readiness = container.getReadinessProbe().getHttpGet().getPath();
        String scrape = annotations.get("prometheus.io/path");
        assertEquals(200, get(port, liveness).statusCode(), liveness);
        await().atMost(DEADLINE).until(() -> get(port, readiness).statusCode() == 200);
        HttpResponse<String> metrics = get(port, scrape);
        assertEquals(200, metrics.statusCode(), scrape);
        assertTrue(metrics.body().contains("# TYPE"), "Prometheus text: " + metrics.body());
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN) // both /metrics ask
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static PodTemplateSpec relay() {
        return ManifestContractTest.RELAY;
    }

    static PodTemplateSpec metering() {
        return ManifestContractTest.METERING;
    }

    static Container container(PodTemplateSpec pod) {
        return ManifestContractTest.container(pod);
    }

    static Map<String, String> annotations(PodTemplateSpec pod) {
        return pod.getMetadata().getAnnotations();
    }
}
