package io.streammeter.bench.infra;

import io.streammeter.config.Flags;
import io.streammeter.kafka.LocalKafka;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The benchmarks' broker in a JVM of its own, so its CPU is never counted as the relay's: {@code
 * BrokerMain --data DIR --port N --prefix P}. Creates the catalog's topics under prefix {@code P},
 * prints {@code broker ready <bootstrap>} and runs until SIGTERM.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) {
        Map<String, String> flags = Flags.parse(args);
        Path data = Path.of(flags.getOrDefault("data", "target/bench-run/kafka"));
        int port = Integer.parseInt(flags.getOrDefault("port", "19092"));
        String prefix = flags.getOrDefault("prefix", TopicCatalog.DEFAULT_PREFIX);
        LocalKafka broker = LocalKafka.start(data, port);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            new TopicProvisioner(admin).provision(new TopicCatalog(prefix));
        }
        System.out.println("broker ready " + broker.bootstrapServers());
    }
}
