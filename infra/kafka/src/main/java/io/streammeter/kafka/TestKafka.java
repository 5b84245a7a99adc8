package io.streammeter.kafka;

import io.streammeter.schemas.TopicCatalog;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The broker a test JVM shares, with what tests need around it: client settings and a fresh topic
 * catalog under a prefix of its own for every test.
 */
public final class TestKafka implements AutoCloseable {
    /** Names an existing cluster to use instead of starting a broker. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    /** Set to {@code testcontainers} to run tests against a Kafka container. */
    public static final String KIND_ENV = "STREAMMETER_TEST_KAFKA";

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final KafkaBroker broker;
    private final Admin admin;
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    private TestKafka(KafkaBroker broker) {
        this.broker = broker;
        this.admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()));
    }

    static TestKafka start(Map<String, String> env) {
        String bootstrap = env.get(BOOTSTRAP_ENV);
        if (bootstrap != null && !bootstrap.isBlank()) {
            return new TestKafka(KafkaBroker.external(bootstrap));
        }
        if ("testcontainers".equalsIgnoreCase(env.get(KIND_ENV))) {
            return new TestKafka(ContainerKafka.start());
        }
        return new TestKafka(EmbeddedKafka.start());
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** An admin client for the run; do not close it. */
    public Admin admin() {
        return admin;
    }

    /** Minimal client settings: bootstrap servers only. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /**
     * A catalog under a prefix no other test uses, with every topic created. The name is only there
     * to make the topics recognisable.
     */
    public TopicCatalog newCatalog(String name) {
        String clean = name.replaceAll("[^a-zA-Z0-9]", "-").toLowerCase();
        if (clean.length() > 40) {
            clean = clean.substring(0, 40);
        }
        TopicCatalog catalog =
                new TopicCatalog(
                        "t" + runId + "-" + PREFIXES.incrementAndGet() + "-" + clean + ".");
        new TopicProvisioner(admin).provision(catalog);
        return catalog;
    }

    @Override
    public void close() {
        admin.close();
        broker.close();
    }
}
