package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class TopicsCommandIT {

    @Test
    void shouldCreateTopicsThenFindThemAllInPlace(TestKafka kafka) {
        String[] args = {
            "topics", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "cli-topics."
        };

        var first = CliRun.of(args);
        var second = CliRun.of(args);

        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("created  cli-topics.stream-events"), first.toString());
        assertTrue(
                first.err().contains("note: single-broker cluster"),
                "RF 1 is allowed on one broker, and said so: " + first);
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(!second.out().contains("created"), second.toString());
        assertTrue(second.out().contains("ok       cli-topics.spend-hourly"), second.toString());
    }
}
