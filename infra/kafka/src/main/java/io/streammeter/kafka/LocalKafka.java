package io.streammeter.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker in this JVM that keeps its data in a directory, so topics and offsets
 * survive a restart: the broker of the local run. Listens on loopback only. The storage is
 * formatted on first start (a new cluster id is written into the directory).
 */
public final class LocalKafka implements KafkaBroker {
    public static final int DEFAULT_PORT = 9092;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port} (its controller on {@code port + 1}) with its data
     * under {@code dataDir}. Returns once the broker has started; clients may still need a moment
     * to see it ready.
     */
    public static LocalKafka start(Path dataDir, int port) {
        Path logDir = dataDir.resolve("kafka-logs").toAbsolutePath();
        Properties props = properties(logDir, port, port + 1);
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dataDir, props);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka data directory " + logDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, "127.0.0.1:" + port);
    }

    static Properties properties(Path logDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        EmbeddedKafka.SMALL_NODE.forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }

    private static void format(Path dataDir, Properties props) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "Written by streammeter for the local broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit =
                StorageTool.execute(
                        new String[] {
                            "format",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            config.toString(),
                            "--standalone"
                        },
                        new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException(
                    "Cannot format Kafka storage: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }
}
