package io.streammeter.kafka;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a container, for machines with a Docker engine whose users ask for it. Never the only
 * route: without Docker it fails with a clear message rather than skipping tests.
 */
final class ContainerKafka implements KafkaBroker {
    static final String IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    static ContainerKafka start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(
                    TestKafka.KIND_ENV
                            + "=testcontainers, but no Docker engine is reachable; unset it to"
                            + " use the in-process broker");
        }
        KafkaContainer container = new KafkaContainer(IMAGE);
        container.start();
        return new ContainerKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
