package io.streammeter.local;

import io.streammeter.kafka.LocalKafka;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.schemas.TopicCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the local single-node KRaft broker alone, its data under --data-dir (formatted on"
                    + " first start, reused on every later one), for split local deployments and"
                    + " the fault suite.",
            "Creates the catalog's missing topics unless --no-topics, prints 'broker ready"
                    + " HOST:PORT', and runs until SIGTERM (a controlled shutdown)."
        })
final class BrokerCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".streammeter",
            description = "Broker data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--port",
            defaultValue = "" + LocalKafka.DEFAULT_PORT,
            description =
                    "Kafka port on 127.0.0.1; the controller takes the next one (default:"
                            + " ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--topic-prefix",
            defaultValue = TopicCatalog.DEFAULT_PREFIX,
            description = "Prefix of the topics to create (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--no-topics", description = "Do not create the catalog's topics.")
    boolean noTopics;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalKafka broker = LocalKafka.start(dataDir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    broker.close();
                                    stopped.countDown();
                                },
                                "streammeter-broker-shutdown"));
        if (!noTopics) {
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    broker.bootstrapServers()))) {
                new TopicProvisioner(admin, READY_TIMEOUT).provision(new TopicCatalog(topicPrefix));
            }
        }
        out.println("broker ready " + broker.bootstrapServers());
        out.flush();
        stopped.await();
        return 0;
    }
}
