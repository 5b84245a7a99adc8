package io.streammeter.metering.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.MissingUsageRateAlert;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.metrics.MeteringMetrics;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The whole metering topology on a TopologyTestDriver, with the test's wall clock. */
final class MeteringDriver implements AutoCloseable {
    static final PriceTable PRICES = PriceFile.bundled();

    final MeteringConfig config;
    final MeteringMetrics metrics = new MeteringMetrics(new SimpleMeterRegistry());
    final TopologyTestDriver driver;
    final TopicCatalog topics;
    private final TestInputTopic<String, StreamEvent> events;
    private final TestOutputTopic<String, StreamSummary> summaries;
    private final TestOutputTopic<String, SpendAggregate> spend;
    private final TestOutputTopic<String, StreamSummary> late;
    private final TestOutputTopic<String, MissingUsageAlert> alerts;
    private final TestOutputTopic<String, MissingUsageRateAlert> rateAlerts;

    MeteringDriver(Instant wallClock) {
        this(MeteringConfig.defaults(), wallClock);
    }

    MeteringDriver(MeteringConfig config, Instant wallClock) {
        this(config, wallClock, () -> PRICES);
    }

    MeteringDriver(MeteringConfig config, Instant wallClock, Supplier<PriceTable> prices) {
        this.config = config;
        this.topics = config.catalog();
        Properties props = StreamsSettings.of(config, null, metrics);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "ttd", UUID.randomUUID().toString()).toAbsolutePath().toString());
        driver =
                new TopologyTestDriver(
                        MeteringTopology.build(config, prices, metrics), props, wallClock);
        events = input(topics.streamEvents());
        summaries = output(topics.streamSummaries());
        spend = output(topics.spendHourly());
        late = output(topics.spendLate());
        alerts = output(topics.missingUsageAlerts());
        rateAlerts = output(topics.missingUsageRateAlerts());
    }

    /** Pipes events in order, each stamped with its event time. */
    MeteringDriver pipe(StreamEvent... in) {
        for (StreamEvent e : in) {
            events.pipeInput(e.getStreamId(), e, e.getEventTime());
        }
        return this;
    }

    MeteringDriver advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
        return this;
    }

    List<StreamSummary> summaries() {
        return summaries.readValuesToList();
    }

    /** The last value per spend key, as a compacted topic keeps it. */
    Map<String, SpendAggregate> spendRows() {
        return spend.readKeyValuesToMap();
    }

    List<TestRecord<String, StreamSummary>> late() {
        return late.readRecordsToList();
    }

    List<MissingUsageAlert> alerts() {
        return alerts.readValuesToList();
    }

    List<MissingUsageRateAlert> rateAlerts() {
        return rateAlerts.readValuesToList();
    }

    /** What a store's changelog received so far: key and whether the value was a tombstone. */
    List<org.apache.kafka.streams.KeyValue<String, Boolean>> changelog(String store) {
        return driver
                .createOutputTopic(
                        config.applicationId() + "-" + store + "-changelog",
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())
                .readKeyValuesToList()
                .stream()
                .map(kv -> org.apache.kafka.streams.KeyValue.pair(kv.key, kv.value == null))
                .toList();
    }

    /** Entries in a key-value store. */
    long count(String store) {
        long n = 0;
        try (var it = driver.getKeyValueStore(store).all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
