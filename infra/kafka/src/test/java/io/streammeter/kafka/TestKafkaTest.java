package io.streammeter.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestKafkaTest {

    @Test
    void shouldUseTheClusterNamedInTheEnvironment() {
        try (var kafka = TestKafka.start(Map.of(TestKafka.BOOTSTRAP_ENV, "127.0.0.1:1"))) {
            assertEquals("127.0.0.1:1", kafka.bootstrapServers());
        }
    }

    @Test
    void shouldFailLoudlyWhenContainersAreAskedForWithoutDocker() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                org.testcontainers.DockerClientFactory.instance().isDockerAvailable(),
                "this machine has Docker: the container route is exercised for real");

        var error =
                assertThrows(
                        IllegalStateException.class,
                        () -> TestKafka.start(Map.of(TestKafka.KIND_ENV, "testcontainers")));

        assertTrue(error.getMessage().contains("no Docker engine"), error.getMessage());
    }
}
