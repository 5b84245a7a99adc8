package io.streammeter.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationTest {

    @Test
    void shouldReplicateThreeWaysWithTwoInSyncFromThreeBrokers() {
        assertEquals(Replication.REPLICATED, Replication.forBrokers(3));
        assertEquals(Replication.REPLICATED, Replication.forBrokers(7));
        assertEquals(new Replication((short) 2, 1), Replication.forBrokers(2));
        assertEquals(Replication.SINGLE_BROKER, Replication.forBrokers(1));
    }

    @Test
    void shouldSurviveABrokerLossOnlyWithTwoReplicasInSync() {
        assertTrue(Replication.REPLICATED.survivesBrokerLoss());
        assertTrue(new Replication((short) 2, 2).survivesBrokerLoss());
        assertFalse(new Replication((short) 3, 1).survivesBrokerLoss());
        assertFalse(Replication.SINGLE_BROKER.survivesBrokerLoss());
    }

    @Test
    void shouldRefuseMoreInSyncReplicasThanReplicas() {
        assertThrows(IllegalArgumentException.class, () -> new Replication((short) 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new Replication((short) 0, 1));
    }

    @Test
    void shouldCarryReplicationInTheCatalog() {
        var catalog = new TopicCatalog("x.", 6, Replication.REPLICATED);
        assertEquals(Replication.REPLICATED, catalog.replication());
        assertEquals(Replication.SINGLE_BROKER, new TopicCatalog("x.").replication());
        assertEquals(
                Replication.SINGLE_BROKER,
                catalog.withReplication(Replication.SINGLE_BROKER).replication());
        assertEquals(
                6, catalog.withReplication(Replication.SINGLE_BROKER).streamEvents().partitions());
        assertEquals(Map.of("min.insync.replicas", "2"), Replication.REPLICATED.configs());
        assertEquals(4, catalog.billed().size());
    }
}
