package io.streammeter.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.schemas.TopicCatalog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streammeter broker} as its own JVM, as the fault suite runs it: it creates the catalog's
 * topics, stops on SIGTERM, and a restart on the same directory keeps what was written.
 */
class BrokerCommandIT {
    @TempDir Path dir;

    @Test
    void shouldKeepTopicsAndRecordsAcrossASigtermAndRestartOnTheSameData() throws Exception {
        int port = freePortPair();
        String bootstrap = "127.0.0.1:" + port;
        Process first = startBroker(port);
        try {
            try (Admin admin = admin(bootstrap)) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertTrue(
                        topics.contains(new TopicCatalog("it.").streamEvents().name()),
                        "catalog topics created: " + topics);
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (var producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("kept", "k", "before the restart"))
                        .get(30, TimeUnit.SECONDS);
            }
        } finally {
            first.destroy(); // SIGTERM: a controlled shutdown
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "broker stops on SIGTERM");
        }

        Process second = startBroker(port);
        try (var consumer = consumer(bootstrap)) {
            TopicPartition partition = new TopicPartition("kept", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            String[] value = new String[1];
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (var record : consumer.poll(Duration.ofMillis(200))) {
                                    value[0] = record.value();
                                }
                                return value[0] != null;
                            });
            assertEquals("before the restart", value[0]);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process startBroker(int port) throws IOException {
        Path log = dir.resolve("broker-" + System.nanoTime() + ".log");
        Process process =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-XX:TieredStopAtLevel=1",
                                "-Dlog4j2.configurationFile=streammeter-log4j2.properties",
                                "-cp",
                                System.getProperty("java.class.path"),
                                StreammeterCli.class.getName(),
                                "broker",
                                "--data-dir=" + dir.resolve("data"),
                                "--port=" + port,
                                "--topic-prefix=it.")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(
                                        "broker exited: " + Files.readString(log));
                            }
                            return Files.readString(log, StandardCharsets.UTF_8)
                                    .contains("broker ready 127.0.0.1:" + port);
                        });
        return process;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer());
    }

    /** A free port whose successor is free too: the controller listens on port + 1. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports");
    }
}
