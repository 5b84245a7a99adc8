package io.streammeter.metering;

import static io.streammeter.metering.Fixtures.ended;
import static io.streammeter.metering.Fixtures.started;
import static io.streammeter.metering.Fixtures.usage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.StreamEvent;
import io.streammeter.kafka.KafkaExtension;
import io.streammeter.kafka.TestKafka;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A metering instance stopped cleanly and started again on the same state directory is running
 * again within 15 s and logs no ERROR line, twice in a row: its stores are checkpointed on close,
 * so nothing is restored from the changelogs, and it left the group (or rejoins under its static
 * member id), so no rebalance waits for a session timeout. Settings are the product defaults.
 */
@ExtendWith(KafkaExtension.class)
class MeteringRestartIT {
    static final Duration READY_WITHIN = Duration.ofSeconds(15);

    private final Capture capture = new Capture();

    @BeforeEach
    void captureLogs() {
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.WARN, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(capture.getName());
        context.updateLoggers();
        capture.stop();
    }

    @Test
    void shouldBeRunningWithin15SecondsWithoutErrorsAfterEachCleanRestart(TestKafka kafka)
            throws Exception {
        TopicCatalog topics = kafka.newCatalog("restart");
        String appId = "metering-restart-" + Long.toString(System.nanoTime(), 36);
        MeteringConfig config = config(kafka, topics, appId);

        runUntilBilled(config, kafka, topics, "first", Duration.ofSeconds(60));
        capture.errors.clear();
        for (String round : List.of("second", "third")) {
            long startedAt = System.nanoTime();
            runUntilBilled(config, kafka, topics, round, READY_WITHIN);
            Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
            System.out.printf(
                    "metering %s start: running and billing in %d ms%n", round, took.toMillis());
            assertEquals(
                    List.of(),
                    List.copyOf(capture.errors),
                    "ERROR lines on the " + round + " start");
        }
    }

    /**
     * Starts metering, waits (within {@code deadline}) until it is RUNNING and has billed a stream
     * sent after the start, then stops it cleanly.
     */
    private static void runUntilBilled(
            MeteringConfig config,
            TestKafka kafka,
            TopicCatalog topics,
            String round,
            Duration deadline)
            throws Exception {
        long from = System.nanoTime();
        try (Metering metering = Metering.start(config)) {
            produce(kafka, topics, round);
            await(round + " start: RUNNING")
                    .atMost(deadline)
                    .until(() -> metering.streams().state() == State.RUNNING);
            Duration left = deadline.minus(Duration.ofNanos(System.nanoTime() - from));
            await(round + " start: the new stream billed")
                    .atMost(left.isNegative() ? Duration.ofMillis(1) : left)
                    .until(
                            () ->
                                    metering.metrics()
                                                    .count(
                                                            "metering.line.items",
                                                            "revision",
                                                            "first")
                                            >= 1);
        }
    }

    static MeteringConfig config(TestKafka kafka, TopicCatalog topics, String appId) {
        return MeteringConfig.defaults()
                .with("bootstrap-servers", kafka.bootstrapServers())
                .with("application-id", appId)
                .with("topic-prefix", topics.prefix())
                .with("state-dir", Path.of("target", "it-state", appId).toAbsolutePath().toString())
                .with("query-host", "127.0.0.1")
                .with("query-port", "0")
                .with("auth.mode", "none") // it reads Kafka, not the query API
                .withKafka(Map.of("commit.interval.ms", "100"));
    }

    static void produce(TestKafka kafka, TopicCatalog topics, String id) throws Exception {
        var topic = topics.streamEvents();
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<StreamEvent> events =
                List.of(started(id, at), ended(id, at.plusSeconds(1), usage(100, 10)));
        try (var producer =
                new KafkaProducer<>(
                        kafka.clientProperties(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            for (StreamEvent e : events) {
                producer.send(new ProducerRecord<>(topic.name(), e.getStreamId(), e)).get();
            }
        }
    }

    /** Keeps every ERROR line logged, as text with its exception, to print if one came. */
    static final class Capture extends AbstractAppender {
        final List<String> errors = new CopyOnWriteArrayList<>();

        Capture() {
            super("restart-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
                Throwable thrown = event.getThrown();
                errors.add(
                        event.getLoggerName()
                                + " - "
                                + event.getMessage().getFormattedMessage()
                                + (thrown == null ? "" : " / " + thrown));
            }
        }
    }
}
