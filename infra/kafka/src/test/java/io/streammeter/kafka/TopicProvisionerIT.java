package io.streammeter.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.TopicProvisioner.TopicMismatchException;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class TopicProvisionerIT {

    @Test
    void shouldCreateEveryTopicOnceAndNothingTheSecondTime(TestKafka kafka) {
        var catalog = new TopicCatalog("prov-idempotent.");
        var provisioner = new TopicProvisioner(kafka.admin());

        var first = provisioner.provision(catalog);
        var second = provisioner.provision(catalog);

        List<String> all = catalog.all().stream().map(Topic::name).toList();
        assertEquals(all, first.created());
        assertEquals(List.of(), second.created(), "a second run must create nothing");
        assertEquals(all, second.verified());
    }

    @Test
    void shouldRejectAnExistingTopicWithAnotherCleanupPolicy(TestKafka kafka) throws Exception {
        var catalog = new TopicCatalog("prov-cleanup.");
        String name = catalog.spendHourly().name();
        kafka.admin()
                .createTopics(
                        List.of(
                                new NewTopic(name, 3, (short) 1)
                                        .configs(Map.of("cleanup.policy", "delete"))))
                .all()
                .get();

        var error =
                assertThrows(
                        TopicMismatchException.class,
                        () -> new TopicProvisioner(kafka.admin()).provision(catalog));

        assertEquals(
                "Topic prov-cleanup.spend-hourly has cleanup.policy=delete, the catalog declares"
                        + " compact",
                error.getMessage());
    }

    @Test
    void shouldRejectAnExistingTopicWithAnotherPartitionCount(TestKafka kafka) throws Exception {
        var catalog = new TopicCatalog("prov-partitions.");
        String name = catalog.streamEvents().name();
        kafka.admin().createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();

        var error =
                assertThrows(
                        TopicMismatchException.class,
                        () -> new TopicProvisioner(kafka.admin()).provision(catalog));

        assertTrue(
                error.getMessage()
                        .startsWith("Topic prov-partitions.stream-events has 1 partitions"),
                error.getMessage());
    }
}
