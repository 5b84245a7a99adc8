package io.streammeter.kafka;

/** A running Kafka cluster that streammeter's clients can reach. */
public interface KafkaBroker extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** Stops the broker if this process started it; a no-op for an external cluster. */
    @Override
    void close();

    /** An existing cluster that somebody else runs. */
    static KafkaBroker external(String bootstrapServers) {
        return new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public void close() {}
        };
    }
}
