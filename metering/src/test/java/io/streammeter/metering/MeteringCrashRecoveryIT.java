package io.streammeter.metering;

import static io.streammeter.metering.Fixtures.chunk;
import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamSummary;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metering in its own JVM is killed without a clean close while it works through the first half of
 * the events; the second half arrives while it is down; it restarts on the same state directory.
 * Exactly-once means the spend still equals the inputs exactly, duplicates included; static
 * membership (the product's default settings) means it bills again within 15 s of its restart.
 */
@ExtendWith(KafkaExtension.class)
class MeteringCrashRecoveryIT {
    static final int STREAMS = 300;

    @Test
    void shouldCountEveryStreamExactlyOnceAcrossAKill(TestKafka kafka) throws Exception {
        TopicCatalog topics = kafka.newCatalog("crash-recovery");
        String appId = "metering-crash-" + Long.toString(System.nanoTime(), 36);
        Path stateDir = Path.of("target", "it-state", appId).toAbsolutePath();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(20));
        Map<String, StreamSummary> summaries = new ConcurrentHashMap<>();
        Map<String, SpendAggregate> rows = new ConcurrentHashMap<>();

        try (Tail tail = new Tail(kafka, topics, summaries, rows)) {
            Process first = launch(kafka, topics, appId, stateDir, "first");
            CompletableFuture<Totals> firstHalf =
                    CompletableFuture.supplyAsync(
                            () -> produce(kafka, topics, base, 0, STREAMS / 2));
            await("some line items before the kill")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> tail.poll() && summaries.size() >= 40);
            first.destroyForcibly().waitFor();
            Totals secondHalf = produce(kafka, topics, base, STREAMS / 2, STREAMS);

            Totals expected = firstHalf.get().plus(secondHalf);
            long restartedAt = System.nanoTime();
            Process second = launch(kafka, topics, appId, stateDir, "second");
            try {
                // Static membership: the restarted instance takes its partitions back at once,
                // it does not wait for the killed member's session to time out. The second half
                // was sent after the kill: only the restarted instance can have billed it.
                await("the killed instance billing again within 15 s of its restart")
                        .atMost(Duration.ofSeconds(15))
                        .until(() -> tail.poll() && billedFrom(summaries, STREAMS / 2));
                System.out.printf(
                        "metering restarted after kill -9: billing again in %d ms%n",
                        Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());
                await("spend equal to the inputs")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> tail.poll() && Totals.of(rows.values()).equals(expected));
            } finally {
                second.destroy();
                second.waitFor();
            }
            assertEquals(expected, Totals.of(rows.values()), "spend rows: " + rows);
            await("every line item read back")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> tail.poll() && summaries.size() >= STREAMS);
            assertEquals(STREAMS, summaries.size());
            summaries
                    .values()
                    .forEach(
                            s -> assertEquals(0, s.getRevision(), "no corrections expected: " + s));
        }
    }

    /** Whether a stream numbered {@code from} or higher has its line item. */
    static boolean billedFrom(Map<String, StreamSummary> summaries, int from) {
        return summaries.keySet().stream()
                .anyMatch(id -> Integer.parseInt(id.substring(1)) >= from);
    }

    /** What the spend must add up to: requests, tokens and cost computed here independently. */
    record Totals(long requests, long prompt, long completion, long costMicros) {
        Totals plus(Totals o) {
            return new Totals(
                    requests + o.requests,
                    prompt + o.prompt,
                    completion + o.completion,
                    costMicros + o.costMicros);
        }

        static Totals of(Iterable<SpendAggregate> rows) {
            long r = 0, p = 0, c = 0, cost = 0;
            for (SpendAggregate row : rows) {
                r += row.getRequests();
                p += row.getPromptTokens();
                c += row.getCompletionTokens();
                cost += row.getCostMicros();
            }
            return new Totals(r, p, c, cost);
        }
    }

    /** Sends every stream (start, two chunks, end; every fifth end twice) one by one. */
    static Totals produce(TestKafka kafka, TopicCatalog topics, Instant base, int from, int to) {
        Topic<String, StreamEvent> topic = topics.streamEvents();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        long prompt = 0, completion = 0, cost = 0;
        try (var producer =
                new KafkaProducer<>(
                        props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = from; i < to; i++) {
                String id = "s" + i;
                long p = 100 + i, c = 7 + (i * 13) % 500;
                Instant at = base.plusSeconds(i * 2L);
                List<StreamEvent> events =
                        new ArrayList<>(
                                List.of(
                                        started(id, at),
                                        chunk(id, 1, at),
                                        chunk(id, 2, at),
                                        ended(id, 3, at.plusSeconds(1), usage(p, c))));
                if (i % 5 == 0) {
                    events.add(events.get(3));
                }
                for (StreamEvent e : events) {
                    producer.send(new ProducerRecord<>(topic.name(), id, e)).get();
                }
                prompt += p;
                completion += c;
                cost +=
                        new BigDecimal("0.15")
                                .multiply(BigDecimal.valueOf(p))
                                .add(new BigDecimal("0.60").multiply(BigDecimal.valueOf(c)))
                                .setScale(0, RoundingMode.HALF_UP)
                                .longValueExact();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Totals(to - from, prompt, completion, cost);
    }

    static Process launch(
            TestKafka kafka, TopicCatalog topics, String appId, Path stateDir, String name)
            throws Exception {
        File log = Path.of("target", "it-state", appId + "-" + name + ".log").toFile();
        log.getParentFile().mkdirs();
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MeteringMain.class.getName(),
                        "--bootstrap-servers=" + kafka.bootstrapServers(),
                        "--application-id=" + appId,
                        "--topic-prefix=" + topics.prefix(),
                        "--state-dir=" + stateDir,
                        "--auth.mode=none",
                        "--query-port=0",
                        "--kafka.commit.interval.ms=100");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** Reads the committed output: line items and the latest value of every spend row. */
    static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, StreamSummary> summaryConsumer;
        private final KafkaConsumer<String, SpendAggregate> rowConsumer;
        private final Map<String, StreamSummary> summaries;
        private final Map<String, SpendAggregate> rows;

        Tail(
                TestKafka kafka,
                TopicCatalog topics,
                Map<String, StreamSummary> summaries,
                Map<String, SpendAggregate> rows) {
            this.summaries = summaries;
            this.rows = rows;
            summaryConsumer = consumer(kafka, topics.streamSummaries());
            rowConsumer = consumer(kafka, topics.spendHourly());
        }

        boolean poll() {
            summaryConsumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> summaries.put(r.key(), r.value()));
            rowConsumer.poll(Duration.ofMillis(200)).forEach(r -> rows.put(r.key(), r.value()));
            return true;
        }

        private static <V> KafkaConsumer<String, V> consumer(
                TestKafka kafka, Topic<String, V> topic) {
            Properties props = kafka.clientProperties();
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "tail-" + topic.name());
            var consumer =
                    new KafkaConsumer<>(
                            props,
                            topic.keySerde().deserializer(),
                            topic.valueSerde().deserializer());
            consumer.subscribe(List.of(topic.name()));
            return consumer;
        }

        @Override
        public void close() {
            summaryConsumer.close();
            rowConsumer.close();
        }
    }
}
