package io.streammeter.bench.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.StreamSummary;
import io.streammeter.bench.faults.Accounting.Row;
import io.streammeter.bench.faults.FaultLoad.Sent;
import io.streammeter.kafka.EmbeddedKafka;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.metering.Metering;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.relay.Relay;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.relay.config.RelayConfig;
import io.streammeter.schemas.Replication;
import io.streammeter.schemas.TopicCatalog;
import io.streammeter.simulator.Simulator;
import io.streammeter.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline on three in-process brokers (topics RF 3, {@code min.insync.replicas=2}),
 * streamed load through the relay while a fault happens, the simulator's ledger as truth: a broker
 * stopped and restarted, the leadership of {@code stream-events} moved, two relays on one topic,
 * and one of two metering instances closed. Each checks what {@code bin/faults} checks (spend per
 * key equal to the ledger, no request lost, none billed twice) plus exactly one line item per
 * stream, and prints the time to recover. One cluster, one simulator, one metering group for all
 * four, so the class fits in about two minutes on a 2-core machine.
 *
 * <p>In-process, a broker cannot be killed: "stopped" is a controlled shutdown of one broker of the
 * cluster (its leaderships move first). A metering instance is closed, not killed: it commits its
 * last transaction, but under static membership it does not leave the group, so the survivor takes
 * its tasks only when its session times out, as after a crash.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {
    static final int BROKERS = 3;
    static final int PARTITIONS = 3;
    static final int REQUESTS = 30;
    static final int CONCURRENCY = 6;
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    static Path work;
    static EmbeddedKafka cluster;
    static Admin admin;
    static TopicCatalog catalog;
    static Vertx vertx;
    static Simulator simulator;
    static Metering one;
    static Metering two;
    static Relay relayA;
    static Relay relayB;
    static LineItemWatch watch;
    static final List<String> FIGURES = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() throws Exception {
        long began = System.nanoTime();
        work = Files.createDirectories(Path.of("target", "it-state", "cluster-faults-" + began));
        cluster = EmbeddedKafka.start(BROKERS);
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
        catalog = new TopicCatalog("cluster.", PARTITIONS, Replication.REPLICATED);
        new TopicProvisioner(admin).provision(catalog);
        vertx = Vertx.vertx();
        simulator =
                Simulator.start(vertx, SimulatorConfig.ephemeral().withLedger(true))
                        .await(30, TimeUnit.SECONDS);
        one = Metering.start(meteringConfig("one"));
        two = Metering.start(meteringConfig("two"));
        assertTrue(one.awaitRunning(DEADLINE) && two.awaitRunning(DEADLINE), "metering RUNNING");
        relayA = Relay.start(vertx, RelayConfig.of(relaySettings("relay-a"))).await(30, SECONDS);
        watch = new LineItemWatch(cluster.bootstrapServers(), catalog.streamSummaries().name());
        figure("stack ready: 3 brokers, 2 metering, 1 relay, simulator in %d ms", since(began));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        System.out.println("ClusterFaultsIT figures:");
        FIGURES.forEach(f -> System.out.println("  " + f));
        for (Relay relay : new Relay[] {relayB, relayA}) {
            if (relay != null) {
                relay.shutdown().await(30, TimeUnit.SECONDS);
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {watch, two, one, simulator}) {
            if (c != null) {
                c.close();
            }
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldBillEveryStreamOnceWhenTheLeaderOfStreamEventsStopsAndRestarts() throws Exception {
        AtomicReference<String> note = new AtomicReference<>();
        run(
                "a",
                List.of(relayA),
                load -> {
                    int leader = leaderOfPartitionZero();
                    long stopAt = System.nanoTime();
                    cluster.stopBroker(leader);
                    long stoppedMs = since(stopAt);
                    int before = streamed(load);
                    await().atMost(DEADLINE).until(() -> streamed(load) >= before + 8);
                    long restartAt = System.nanoTime();
                    cluster.startBroker(leader);
                    await().atMost(DEADLINE).until(ClusterFaultsIT::everyReplicaInSync);
                    note.set(
                            String.format(
                                    "broker %d (leader of stream-events-0) controlled shutdown"
                                            + " %d ms; longest billing pause %d ms; ISR of every"
                                            + " stream-events partition back to 3 in %d ms after"
                                            + " restart",
                                    leader,
                                    stoppedMs,
                                    watch.longestPauseAfter(stopAt),
                                    since(restartAt)));
                });
        figure("a. broker stop/restart: %s", note.get());
    }

    @Test
    @Order(2)
    void shouldBillEveryStreamOnceWhenStreamEventsLeadershipMoves() throws Exception {
        AtomicReference<String> note = new AtomicReference<>();
        run(
                "b",
                List.of(relayA),
                load -> {
                    Map<Integer, Integer> before = leaders();
                    long moveAt = System.nanoTime();
                    moveLeadership();
                    await().atMost(DEADLINE).until(() -> everyLeaderMovedFrom(before));
                    long movedMs = since(moveAt);
                    int streamedAtMove = streamed(load);
                    await().atMost(DEADLINE).until(() -> streamed(load) >= streamedAtMove + 6);
                    note.set(
                            String.format(
                                    "leaders %s -> %s in %d ms; longest billing pause %d ms",
                                    before, leaders(), movedMs, watch.longestPauseAfter(moveAt)));
                });
        figure("b. leadership moved: %s", note.get());
    }

    @Test
    @Order(3)
    void shouldBillEveryStreamOnceThroughTwoRelaysOnOneTopic() throws Exception {
        relayB = Relay.start(vertx, RelayConfig.of(relaySettings("relay-b"))).await(30, SECONDS);
        List<Sent> sent = run("d", List.of(relayA, relayB), load -> {});
        figure(
                "d. two relays: %d streams through relay-a and relay-b, same keys, one topic",
                sent.size());
    }

    @Test
    @Order(4)
    void shouldFailOverToTheSurvivingMeteringInstance() throws Exception {
        AtomicReference<String> note = new AtomicReference<>();
        Set<String> allTasks = new HashSet<>(activeTasks(one));
        allTasks.addAll(activeTasks(two));
        List<Sent> sent =
                run(
                        "c",
                        List.of(relayA),
                        load -> {
                            Set<String> moving = activeTasks(one);
                            assertTrue(
                                    !moving.isEmpty(),
                                    "instance one owns no task: nothing would fail over");
                            long closeAt = System.nanoTime();
                            Metering closing = one;
                            one = null; // closed once: a second close finds its Vert.x gone
                            closing.close();
                            long closedMs = since(closeAt);
                            await().atMost(DEADLINE)
                                    .pollInterval(Duration.ofMillis(100))
                                    .until(
                                            () ->
                                                    two.streams().state()
                                                                    == KafkaStreams.State.RUNNING
                                                            && activeTasks(two)
                                                                    .containsAll(allTasks));
                            long failoverMs = since(closeAt);
                            note.set(
                                    String.format(
                                            "instance one (%d of %d active tasks) closed in %d"
                                                    + " ms; survivor RUNNING with all %d active"
                                                    + " tasks %d ms after the close"
                                                    + " (session timeout %d s); longest billing"
                                                    + " pause %d ms",
                                            moving.size(),
                                            allTasks.size(),
                                            closedMs,
                                            allTasks.size(),
                                            failoverMs,
                                            SESSION_TIMEOUT.toSeconds(),
                                            watch.longestPauseAfter(closeAt)));
                        });
        Map<String, Long> requestsPerKey = new HashMap<>();
        for (StreamSummary item : Topics.latest(bootstrap(), catalog.streamSummaries()).values()) {
            requestsPerKey.merge(item.getKeyId(), 1L, Long::sum);
        }
        for (String key : sent.stream().map(Sent::key).distinct().toList()) {
            String keyId = KeyIds.derive(Stack.PEPPER, key);
            JsonObject spend = spendThroughSurvivor(keyId);
            assertEquals(
                    requestsPerKey.get(keyId),
                    spend.getJsonObject("total").getLong("requests"),
                    "requests of " + keyId + " through the survivor: " + spend);
        }
        figure("c. metering failover: %s; query API answered through the survivor", note.get());
    }

    /** One scenario: load through the relays, the fault while it runs, then the accounting. */
    private List<Sent> run(String id, List<Relay> relays, FaultAction fault) throws Exception {
        List<FaultLoad> loads = new ArrayList<>();
        for (int i = 0; i < relays.size(); i++) {
            URI url = URI.create("http://127.0.0.1:" + relays.get(i).port());
            loads.add(
                    new FaultLoad(
                            vertx,
                            url,
                            "cluster-" + id,
                            "-r" + i,
                            REQUESTS / relays.size(),
                            CONCURRENCY));
        }
        loads.forEach(FaultLoad::start);
        await().atMost(DEADLINE).until(() -> streamed(loads) >= 6); // steady load first
        fault.inject(loads);
        loads.forEach(FaultLoad::release);
        List<Sent> sent = new ArrayList<>();
        for (FaultLoad load : loads) {
            sent.addAll(load.await(Duration.ofMinutes(2)));
        }
        long settleAt = System.nanoTime();
        AtomicReference<Row> row = new AtomicReference<>();
        try {
            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> {
                                row.set(account(id, sent));
                                Row r = row.get();
                                return r.lost() == 0
                                        && r.doubleCounted() == 0
                                        && r.spendEqual()
                                        && r.lineItems() == r.withStreamId();
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertions below say what is wrong
        }
        Row r = row.get();
        String findings = String.join("\n  ", r.findings());
        assertEquals(0, r.lost(), "lost:\n  " + findings);
        assertEquals(0, r.doubleCounted(), "double-counted:\n  " + findings);
        assertTrue(r.spendEqual(), "spend per key differs from the ledger:\n  " + findings);
        assertEquals(r.withStreamId(), r.lineItems(), "line items vs streams:\n  " + findings);
        Map<String, Integer> copies = lineItemCopies(sent);
        assertEquals(
                List.of(),
                copies.entrySet().stream().filter(e -> e.getValue() != 1).limit(10).toList(),
                "streams whose line item was written other than once");
        figure(
                "%s: %d requests, %d streamed, %d line items, lost %d, double %d; settled %d ms"
                        + " after the load ended",
                id,
                r.requests(),
                r.withStreamId(),
                r.lineItems(),
                r.lost(),
                r.doubleCounted(),
                since(settleAt));
        return sent;
    }

    private Row account(String id, List<Sent> sent) throws Exception {
        Set<String> alerts = new HashSet<>();
        Topics.<String, MissingUsageAlert>each(
                bootstrap(), catalog.missingUsageAlerts(), (k, v) -> alerts.add(k));
        return Accounting.compare(
                id,
                false,
                "",
                sent,
                Accounting.ledger(get(URI.create(simulator.baseUrl() + "/_sim/ledger"))),
                Topics.latest(bootstrap(), catalog.streamSummaries()),
                Topics.latest(bootstrap(), catalog.spendHourly()),
                alerts);
    }

    /** How many records of stream-summaries each of these streams has (compaction aside). */
    private Map<String, Integer> lineItemCopies(List<Sent> sent) {
        Set<String> ids = new HashSet<>();
        sent.stream().map(Sent::streamId).filter(s -> s != null).forEach(ids::add);
        Map<String, Integer> copies = new HashMap<>();
        Topics.<String, StreamSummary>each(
                bootstrap(),
                catalog.streamSummaries(),
                (k, v) -> {
                    if (ids.contains(k) && v != null) {
                        copies.merge(k, 1, Integer::sum);
                    }
                });
        return copies;
    }

    private JsonObject spendThroughSurvivor(String keyId) throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        URI uri =
                URI.create(
                        "http://127.0.0.1:"
                                + two.queryPort()
                                + "/v1/spend?key_id="
                                + keyId
                                + "&from="
                                + hour.minus(Duration.ofHours(1))
                                + "&to="
                                + hour.plus(Duration.ofHours(1)));
        return new JsonObject(get(uri));
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return response.body();
    }

    /** Every relay a test starts gets these settings; the one place to add a relay setting. */
    static Map<String, String> relaySettings(String instance) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("spool.dir", Files.createDirectories(work.resolve(instance + "-spool")).toString());
        c.put("listen.host", "127.0.0.1");
        c.put("listen.port", "0");
        c.put("upstream.name", "simulator");
        c.put("upstream.base-url", simulator.baseUrl() + "/v1");
        c.put("key-id.pepper", Stack.PEPPER);
        c.put("kafka.bootstrap-servers", cluster.bootstrapServers());
        c.put("kafka.topic-prefix", catalog.prefix());
        c.put("relay.instance-id", instance);
        c.put("shutdown.grace", "2s");
        c.put("metrics.auth", "none"); // nothing here reads the relay's /metrics
        return c;
    }

    static MeteringConfig meteringConfig(String instance) {
        return MeteringConfig.defaults()
                .with("auth.mode", "none")
                .with("bootstrap-servers", cluster.bootstrapServers())
                .with("application-id", "cluster-faults-metering")
                .with("topic-prefix", catalog.prefix())
                .with("state-dir", work.resolve("metering-" + instance).toAbsolutePath().toString())
                .with("query-host", "127.0.0.1")
                .with("query-port", "0")
                .with("application-server", "127.0.0.1")
                .with("orphan-timeout", "60s")
                .withKafka(
                        Map.of(
                                "commit.interval.ms",
                                "200",
                                "num.standby.replicas",
                                "1",
                                "session.timeout.ms",
                                Long.toString(SESSION_TIMEOUT.toMillis()),
                                "heartbeat.interval.ms",
                                "1000"));
    }

    static Set<String> activeTasks(Metering metering) {
        Set<String> tasks = new HashSet<>();
        metering.streams()
                .metadataForLocalThreads()
                .forEach(t -> t.activeTasks().forEach(a -> tasks.add(a.taskId().toString())));
        return tasks;
    }

    static int leaderOfPartitionZero() throws Exception {
        return describe().partitions().get(0).leader().id();
    }

    static Map<Integer, Integer> leaders() throws Exception {
        Map<Integer, Integer> leaders = new HashMap<>();
        for (TopicPartitionInfo p : describe().partitions()) {
            leaders.put(p.partition(), Optional.ofNullable(p.leader()).map(Node::id).orElse(-1));
        }
        return leaders;
    }

    /**
     * Makes the next replica of every stream-events partition its preferred leader (a reassignment
     * that only reorders the replicas, so no data moves) and elects it.
     */
    static void moveLeadership() throws Exception {
        String topic = catalog.streamEvents().name();
        Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
        for (TopicPartitionInfo p : describe().partitions()) {
            List<Integer> replicas = new ArrayList<>(p.replicas().stream().map(Node::id).toList());
            replicas.remove(Integer.valueOf(p.leader().id()));
            replicas.add(p.leader().id());
            moves.put(
                    new TopicPartition(topic, p.partition()),
                    Optional.of(new NewPartitionReassignment(replicas)));
        }
        admin.alterPartitionReassignments(moves).all().get(30, TimeUnit.SECONDS);
        await().atMost(DEADLINE)
                .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
        admin.electLeaders(ElectionType.PREFERRED, moves.keySet()).all().get(30, TimeUnit.SECONDS);
    }

    static boolean everyLeaderMovedFrom(Map<Integer, Integer> before) throws Exception {
        return leaders().entrySet().stream()
                .noneMatch(e -> e.getValue().equals(before.get(e.getKey())));
    }

    static boolean everyReplicaInSync() throws Exception {
        return describe().partitions().stream().allMatch(p -> p.isr().size() == BROKERS);
    }

    static TopicDescription describe() throws Exception {
        String topic = catalog.streamEvents().name();
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    static int streamed(List<FaultLoad> loads) {
        return loads.stream().mapToInt(FaultLoad::streamedSoFar).sum();
    }

    static String bootstrap() {
        return cluster.bootstrapServers();
    }

    static long since(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void figure(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("ClusterFaultsIT: " + line);
        FIGURES.add(line);
    }

    private static final TimeUnit SECONDS = TimeUnit.SECONDS;

    @FunctionalInterface
    interface FaultAction {
        void inject(List<FaultLoad> loads) throws Exception;
    }
}
