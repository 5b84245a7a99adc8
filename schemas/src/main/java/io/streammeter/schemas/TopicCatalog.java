package io.streammeter.schemas;

import io.streammeter.avro.BudgetAlert;
import io.streammeter.avro.CustomerBudget;
import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.MissingUsageRateAlert;
import io.streammeter.avro.PlatformKey;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamSummary;
import io.streammeter.schemas.Topic.Cleanup;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of streammeter, declared once. Producers, consumers, the provisioner and the tests
 * all read names, serdes and layouts from here. Names are {@code <prefix><topic>}; the default
 * prefix is {@value #DEFAULT_PREFIX}. Replication is per environment ({@link Replication}): one
 * replica by default, for the single-broker local run and tests.
 */
public final class TopicCatalog {
    public static final String DEFAULT_PREFIX = "streammeter.";
    public static final int DEFAULT_PARTITIONS = 3;

    private final String prefix;
    private final Replication replication;
    private final Topic<String, StreamEvent> streamEvents;
    private final Topic<String, StreamSummary> streamSummaries;
    private final Topic<String, SpendAggregate> spendHourly;
    private final Topic<String, StreamSummary> spendLate;
    private final Topic<String, MissingUsageAlert> missingUsageAlerts;
    private final Topic<String, MissingUsageRateAlert> missingUsageRateAlerts;
    private final Topic<String, PlatformKey> keys;
    private final Topic<String, CustomerBudget> customerBudgets;
    private final Topic<String, BudgetAlert> budgetAlerts;

    public TopicCatalog(String prefix) {
        this(prefix, DEFAULT_PARTITIONS);
    }

    public TopicCatalog(String prefix, int partitions) {
        this(prefix, partitions, Replication.SINGLE_BROKER);
    }

    public TopicCatalog(String prefix, int partitions, Replication replication) {
        if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]*")) {
            throw new IllegalArgumentException(
                    "Topic prefix may hold only letters, digits, '.', '_' and '-': " + prefix);
        }
        this.prefix = prefix;
        this.replication = Objects.requireNonNull(replication, "replication");
        Duration week = Duration.ofDays(7);
        Duration month = Duration.ofDays(30);
        streamEvents =
                new Topic<>(
                        prefix + "stream-events",
                        Serdes.String(),
                        AvroSerde.of(StreamEvent.class),
                        partitions,
                        Cleanup.DELETE,
                        week);
        streamSummaries =
                new Topic<>(
                        prefix + "stream-summaries",
                        Serdes.String(),
                        AvroSerde.of(StreamSummary.class),
                        partitions,
                        Cleanup.COMPACT,
                        null);
        spendHourly =
                new Topic<>(
                        prefix + "spend-hourly",
                        Serdes.String(),
                        AvroSerde.of(SpendAggregate.class),
                        partitions,
                        Cleanup.COMPACT,
                        null);
        spendLate =
                new Topic<>(
                        prefix + "spend-late",
                        Serdes.String(),
                        AvroSerde.of(StreamSummary.class),
                        partitions,
                        Cleanup.DELETE,
                        month);
        missingUsageAlerts =
                new Topic<>(
                        prefix + "alerts.missing-usage",
                        Serdes.String(),
                        AvroSerde.of(MissingUsageAlert.class),
                        partitions,
                        Cleanup.DELETE,
                        month);
        missingUsageRateAlerts =
                new Topic<>(
                        prefix + "alerts.missing-usage-rate",
                        Serdes.String(),
                        AvroSerde.of(MissingUsageRateAlert.class),
                        partitions,
                        Cleanup.DELETE,
                        month);
        keys =
                new Topic<>(
                        prefix + "keys",
                        Serdes.String(),
                        AvroSerde.of(PlatformKey.class),
                        partitions,
                        Cleanup.COMPACT,
                        null);
        customerBudgets =
                new Topic<>(
                        prefix + "customer-budgets",
                        Serdes.String(),
                        AvroSerde.of(CustomerBudget.class),
                        partitions,
                        Cleanup.COMPACT,
                        null);
        budgetAlerts =
                new Topic<>(
                        prefix + "alerts.budget",
                        Serdes.String(),
                        AvroSerde.of(BudgetAlert.class),
                        partitions,
                        Cleanup.DELETE,
                        month);
    }

    /** The catalog under the default prefix. */
    public static TopicCatalog defaults() {
        return new TopicCatalog(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    /** How every topic of this catalog is replicated. */
    public Replication replication() {
        return replication;
    }

    /** This catalog with another replication, for the same prefix and partitions. */
    public TopicCatalog withReplication(Replication other) {
        return new TopicCatalog(prefix, streamEvents.partitions(), other);
    }

    /**
     * The topics that carry billing facts: losing an acknowledged record on them loses or changes a
     * bill. Alerts are not among them.
     */
    public List<Topic<?, ?>> billed() {
        return List.of(streamEvents, streamSummaries, spendHourly, spendLate);
    }

    /** Relay to metering: every stream's start, chunks and end (key: stream id). */
    public Topic<String, StreamEvent> streamEvents() {
        return streamEvents;
    }

    /** One billing line item per stream (key: stream id; compacted, last revision wins). */
    public Topic<String, StreamSummary> streamSummaries() {
        return streamSummaries;
    }

    /** Spend per key, model and hour (key: keyId|model|windowStart; compacted). */
    public Topic<String, SpendAggregate> spendHourly() {
        return spendHourly;
    }

    /** Line items that arrived after their hour's grace period closed (key: stream id). */
    public Topic<String, StreamSummary> spendLate() {
        return spendLate;
    }

    /** Streams that ended without usage (key: stream id). */
    public Topic<String, MissingUsageAlert> missingUsageAlerts() {
        return missingUsageAlerts;
    }

    /** Windows where the share of streams missing usage passed the threshold. */
    public Topic<String, MissingUsageRateAlert> missingUsageRateAlerts() {
        return missingUsageRateAlerts;
    }

    /**
     * The platform key registry (key: key id; compacted, latest version wins, a tombstone deletes):
     * written by {@code streammeter keys}, followed by every relay in {@code auth.mode=platform}.
     */
    public Topic<String, PlatformKey> keys() {
        return keys;
    }

    /**
     * Customer budgets over all of a customer's keys (key: customer; compacted, a tombstone removes
     * the budget): written by {@code streammeter keys customer-budget}, read by metering.
     */
    public Topic<String, CustomerBudget> customerBudgets() {
        return customerBudgets;
    }

    /** A key's or customer's billed spend reached 50, 80 or 100 % of its budget. */
    public Topic<String, BudgetAlert> budgetAlerts() {
        return budgetAlerts;
    }

    /** Every topic, in the order data flows. */
    public List<Topic<?, ?>> all() {
        return List.of(
                streamEvents,
                streamSummaries,
                spendHourly,
                spendLate,
                missingUsageAlerts,
                missingUsageRateAlerts,
                keys,
                customerBudgets,
                budgetAlerts);
    }
}
