package io.streammeter.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.schemas.Replication;
import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three in-process brokers, topics replicated three ways with two in sync. Under load (a producer
 * with {@code acks=all} and a consumer running throughout), the leader of a partition is stopped
 * and restarted: every record the producer saw acknowledged is consumed, none twice.
 */
class ReplicatedClusterIT {
    static final int BROKERS = 3;
    static final Duration DEADLINE = Duration.ofSeconds(45);

    static EmbeddedKafka cluster;
    static Admin admin;

    @BeforeAll
    static void startCluster() {
        long rssBefore = rssKib();
        long started = System.nanoTime();
        cluster = EmbeddedKafka.start(BROKERS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "ReplicatedClusterIT: %d brokers ready in %d ms, JVM RSS +%d MiB%n",
                BROKERS, millis, (rssKib() - rssBefore) / 1024);
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
    void shouldLoseNoAcknowledgedRecordWhenTheLeaderStopsAndRestarts() throws Exception {
        TopicCatalog catalog =
                new TopicCatalog("replicated-failover.", 3, Replication.forBrokers(BROKERS));
        new TopicProvisioner(admin).provision(catalog);
        String topic = catalog.streamEvents().name();
        Load load = new Load(cluster.bootstrapServers(), topic);
        load.start();
        try {
            await().atMost(DEADLINE).until(() -> load.acknowledged.size() >= 2_000);
            int leader = describe(topic).partitions().get(0).leader().id();

            long stopAt = System.nanoTime();
            cluster.stopBroker(leader);
            long stoppedMs = (System.nanoTime() - stopAt) / 1_000_000;
            int ackedAtStop = load.acknowledged.size();
            await().atMost(DEADLINE).until(() -> load.acknowledged.size() >= ackedAtStop + 2_000);
            long stallMs = load.longestStallOfPartitionZeroAfter(stopAt) / 1_000_000;

            long restartAt = System.nanoTime();
            cluster.startBroker(leader);
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    describe(topic).partitions().stream()
                                            .allMatch(p -> p.isr().size() == BROKERS));
            long backInSyncMs = (System.nanoTime() - restartAt) / 1_000_000;
            int ackedAtRejoin = load.acknowledged.size();
            await().atMost(DEADLINE).until(() -> load.acknowledged.size() >= ackedAtRejoin + 2_000);
            load.stopProducing();

            await().atMost(DEADLINE)
                    .until(() -> load.consumed.keySet().containsAll(load.acknowledged));
            System.out.printf(
                    "ReplicatedClusterIT: leader %d stopped in %d ms; longest pause of acks on its"
                            + " partition %d ms; back in every ISR %d ms after restart; %d"
                            + " acknowledged, %d consumed, %d failed sends%n",
                    leader,
                    stoppedMs,
                    stallMs,
                    backInSyncMs,
                    load.acknowledged.size(),
                    load.consumed.size(),
                    load.failed.get());
            assertEquals(
                    List.of(),
                    load.consumed.entrySet().stream()
                            .filter(e -> e.getValue() > 1)
                            .map(Map.Entry::getKey)
                            .limit(10)
                            .toList(),
                    "records consumed twice (the producer is idempotent)");
            assertEquals(0, load.failed.get(), "sends that failed outright");
        } finally {
            load.close();
        }
    }

    @Test
    void shouldRefuseBilledTopicsThatCouldLoseAcknowledgedWrites() throws Exception {
        TopicCatalog catalog = new TopicCatalog("replicated-single-copy.", 1);
        admin.createTopics(
                        List.of(
                                new NewTopic(catalog.streamEvents().name(), 1, (short) 1)
                                        .configs(catalog.streamEvents().configs())))
                .all()
                .get();
        new TopicProvisioner(admin).provision(catalog.withReplication(Replication.REPLICATED));

        ReplicationCheck.Report report =
                new ReplicationCheck(admin, Duration.ofSeconds(10)).check(catalog);

        assertEquals(BROKERS, report.brokers());
        assertFalse(report.acceptable(), report.toString());
        assertEquals(1, report.refusals().size(), report.toString());
        assertTrue(
                report.refusals().get(0).startsWith(catalog.streamEvents().name() + " has"),
                report.toString());
    }

    @Test
    void shouldAcceptTheCatalogProvisionedForThreeBrokers() {
        TopicCatalog catalog =
                new TopicCatalog("replicated-ok.", 1, Replication.forBrokers(BROKERS));
        new TopicProvisioner(admin).provision(catalog);

        ReplicationCheck.Report report =
                new ReplicationCheck(admin, Duration.ofSeconds(10)).check(catalog);

        assertTrue(report.acceptable(), report.toString());
        assertEquals(List.of(), report.notes());
    }

    static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    static long rssKib() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0L);
        } catch (Exception e) {
            return 0L; // not Linux: the figure is informative only
        }
    }

    /** A producer with acks=all and a consumer from the start, each on its own thread. */
    static final class Load implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<String, Integer> consumed = new ConcurrentHashMap<>();
        final AtomicLong failed = new AtomicLong();
        final Queue<Long> partitionZeroAcks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean producing = new AtomicBoolean(true);
        private final AtomicBoolean consuming = new AtomicBoolean(true);
        private final Semaphore inFlight = new Semaphore(500);
        private final KafkaProducer<String, String> producer;
        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private final Thread producerThread;
        private final Thread consumerThread;

        Load(String bootstrap, String topic) {
            this.topic = topic;
            producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrap,
                                    ProducerConfig.ACKS_CONFIG,
                                    "all",
                                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                    true,
                                    ProducerConfig.LINGER_MS_CONFIG,
                                    5,
                                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                    120_000,
                                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                    10_000),
                            new StringSerializer(),
                            new StringSerializer());
            consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrap,
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest"),
                            new StringDeserializer(),
                            new StringDeserializer());
            producerThread = new Thread(this::produce, "load-producer");
            consumerThread = new Thread(this::consume, "load-consumer");
        }

        void start() {
            consumer.assign(
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList());
            consumer.seekToBeginning(consumer.assignment());
            producerThread.start();
            consumerThread.start();
        }

        private void produce() {
            long n = 0;
            while (producing.get()) {
                inFlight.acquireUninterruptibly();
                String id = "r" + n++;
                producer.send(
                        new ProducerRecord<>(topic, id, id),
                        (metadata, error) -> {
                            inFlight.release();
                            if (error == null) {
                                acknowledged.add(id);
                                if (metadata.partition() == 0) {
                                    partitionZeroAcks.add(System.nanoTime());
                                }
                            } else {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }

        private void consume() {
            while (consuming.get()) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> consumed.merge(r.value(), 1, Integer::sum));
            }
        }

        /**
         * The longest wait between two acknowledgements on partition 0 ending after {@code from}.
         */
        long longestStallOfPartitionZeroAfter(long from) {
            List<Long> times = partitionZeroAcks.stream().sorted().toList();
            long longest = 0;
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) > from) {
                    longest = Math.max(longest, times.get(i) - times.get(i - 1));
                }
            }
            return longest;
        }

        void stopProducing() throws InterruptedException {
            producing.set(false);
            producerThread.join(DEADLINE.toMillis());
        }

        @Override
        public void close() {
            try {
                stopProducing();
                consuming.set(false);
                consumerThread.join(DEADLINE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                producer.close();
                consumer.close();
            }
        }
    }
}
