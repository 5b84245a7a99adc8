package io.streammeter.local;

import io.streammeter.config.KafkaAccessCheck;
import io.streammeter.schemas.TopicCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is and which topics to use: shared by the commands that need Kafka. */
final class KafkaOptions {
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description =
                    "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else the local"
                            + " stack recorded in the data directory, else "
                            + DEFAULT_BOOTSTRAP
                            + ")")
    String bootstrap;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Data directory of a local stack to find Kafka through (default:"
                            + " $STREAMMETER_DATA_DIR, else .streammeter in the installation)")
    Path dataDir;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            description =
                    "Prefix of every topic (default: the local stack's, else "
                            + TopicCatalog.DEFAULT_PREFIX
                            + ")")
    String topicPrefix;

    @Option(
            names = "--kafka-timeout",
            paramLabel = "DURATION",
            description =
                    "How long to wait for Kafka: 500ms, 5s, 2m or ISO-8601 PT5S (default: ${DEFAULT-VALUE})",
            defaultValue = "10s")
    Duration timeout;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties (security.protocol, ssl.*, sasl.*, config.providers)"
                            + " for a secured cluster, as Kafka's own tools take them (default:"
                            + " $"
                            + COMMAND_CONFIG_ENV
                            + ")")
    Path commandConfig;

    static final String COMMAND_CONFIG_ENV = "STREAMMETER_KAFKA_COMMAND_CONFIG";

    String bootstrapServers() {
        if (bootstrap != null) {
            return bootstrap;
        }
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return DataDir.stack(DataDir.resolve(dataDir))
                .map(stack -> stack.getProperty(DataDir.BOOTSTRAP))
                .orElse(DEFAULT_BOOTSTRAP);
    }

    TopicCatalog catalog() {
        if (topicPrefix != null) {
            return new TopicCatalog(topicPrefix);
        }
        return new TopicCatalog(
                DataDir.stack(DataDir.resolve(dataDir))
                        .map(stack -> stack.getProperty(DataDir.TOPIC_PREFIX))
                        .orElse(TopicCatalog.DEFAULT_PREFIX));
    }

    Properties clientProperties() {
        Properties props = commandConfig();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return props;
    }

    /** The client properties of {@code --command-config}, else of its variable; else none. */
    private Properties commandConfig() {
        Properties props = new Properties();
        Path file = commandConfig;
        String flag = "--command-config";
        if (file == null) {
            String env = System.getenv(COMMAND_CONFIG_ENV);
            if (env == null || env.isBlank()) {
                return props;
            }
            file = Path.of(env);
            flag = COMMAND_CONFIG_ENV;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the Kafka client properties " + file + " (" + flag + "): " + e);
        }
        return props;
    }

    /** An admin client to a cluster that answered; fails with one line when it does not. */
    Admin reachableAdmin() {
        Admin admin = Admin.create(clientProperties());
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return admin;
        } catch (ExecutionException e) {
            admin.close(Duration.ZERO);
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new IllegalStateException(
                        KafkaAccessCheck.message(
                                refused, toMap(clientProperties()), "--command-config "));
            }
            throw new IllegalStateException(
                    "Kafka at " + bootstrapServers() + " is not reachable within " + timeout);
        } catch (TimeoutException e) {
            admin.close(Duration.ZERO);
            throw new IllegalStateException(
                    "Kafka at " + bootstrapServers() + " is not reachable within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close(Duration.ZERO);
            throw new IllegalStateException("Interrupted while reaching Kafka");
        }
    }

    private static Map<String, Object> toMap(Properties props) {
        Map<String, Object> map = new HashMap<>();
        props.forEach((k, v) -> map.put(k.toString(), v));
        return map;
    }
}
