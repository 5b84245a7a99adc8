package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.EmbeddedKafka;
import io.streammeter.schemas.TopicCatalog;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code streammeter topics} on a cluster of three brokers: replicates, and refuses one copy. */
class TopicsReplicationIT {
    static EmbeddedKafka cluster;
    static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedKafka.start(3);
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldCreateTopicsWithThreeReplicasTwoInSync() throws Exception {
        var run =
                CliRun.of(
                        "topics",
                        "--bootstrap",
                        cluster.bootstrapServers(),
                        "--topic-prefix",
                        "rep-ok.");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(!run.err().contains("single-broker"), run.toString());
        String topic = new TopicCatalog("rep-ok.").streamEvents().name();
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertEquals(3, description.partitions().get(0).replicas().size());
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        assertEquals(
                "2",
                admin.describeConfigs(List.of(resource))
                        .all()
                        .get()
                        .get(resource)
                        .get("min.insync.replicas")
                        .value());
    }

    @Test
    void shouldRefuseABilledTopicWithOneReplica() throws Exception {
        var catalog = new TopicCatalog("rep-bad.");
        admin.createTopics(
                        List.of(
                                new NewTopic(catalog.spendHourly().name(), 3, (short) 1)
                                        .configs(
                                                Map.of(
                                                        "cleanup.policy", "compact",
                                                        "min.insync.replicas", "1"))))
                .all()
                .get();

        var run =
                CliRun.of(
                        "topics",
                        "--bootstrap",
                        cluster.bootstrapServers(),
                        "--topic-prefix",
                        "rep-bad.");

        assertEquals(StreammeterCli.EXIT_FAILED, run.exitCode(), run.toString());
        assertTrue(
                run.err()
                        .contains(
                                "refused: "
                                        + catalog.spendHourly().name()
                                        + " has replication factor 1"),
                run.toString());
        assertTrue(run.err().contains("can be lost when one broker fails"), run.toString());
    }
}
