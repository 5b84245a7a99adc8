package io.streammeter.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.schemas.TopicCatalog;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

    @Test
    void shouldKeepTopicsAcrossARestart(@TempDir Path dataDir) throws Exception {
        int port = freePortPair();
        var catalog = new TopicCatalog("local-restart.");

        try (var kafka = LocalKafka.start(dataDir, port);
                var admin = admin(kafka)) {
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            new TopicProvisioner(admin).provision(catalog);
        }

        try (var kafka = LocalKafka.start(dataDir, port);
                var admin = admin(kafka)) {
            var result = new TopicProvisioner(admin).provision(catalog);
            assertTrue(result.created().isEmpty(), "topics lost on restart: " + result);
        }
    }

    private static Admin admin(KafkaBroker kafka) {
        return Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** A port whose successor is free too: the controller listens on port + 1. */
    private static int freePortPair() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (var first = new ServerSocket(0)) {
                int port = first.getLocalPort();
                try (var second = new ServerSocket(port + 1)) {
                    return port;
                } catch (java.io.IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no two adjacent free ports");
    }
}
