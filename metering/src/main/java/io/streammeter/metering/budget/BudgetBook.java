package io.streammeter.metering.budget;

import io.streammeter.avro.BudgetAlert;
import io.streammeter.avro.CustomerBudget;
import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.Outcome;
import io.streammeter.avro.PlatformKey;
import io.streammeter.avro.StreamSummary;
import io.streammeter.metering.budget.BudgetLedger.Limit;
import io.streammeter.prices.PriceEntry;
import io.streammeter.prices.PriceTable;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budgets of one metering instance: a thread follows {@code <prefix>keys}, {@code
 * <prefix>customer-budgets} and the line items on {@code <prefix>stream-summaries} from their
 * beginning (no consumer group, read_committed) into a {@link BudgetLedger}, so billed spend is
 * metering's exact line items, and a line item settles the hold of its stream. Every instance keeps
 * billed spend; reservations are made at one of them, the authority ({@code BudgetRoutes}). Until
 * the topics are read to the end they were at start, {@link #ready} is false and reservations are
 * refused as unavailable: admitting against a half-read ledger could overspend.
 */
public final class BudgetBook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetBook.class);

    /** ORPHANED line items remembered for their corrections (a later revision of the stream). */
    private static final int ORPHANS_REMEMBERED = 100_000;

    /** What a reservation asks for. */
    public record Request(
            String streamId,
            String keyId,
            String model,
            long bodyBytes,
            Long maxOutputTokens,
            Integer choices) {}

    /** A key's and its customer's budgets as they stand. */
    public record Standings(
            String keyId,
            String customer,
            Limit keyLimit,
            BudgetLedger.Standing key,
            Limit customerLimit,
            BudgetLedger.Standing customerStanding) {}

    /** No reservation could be judged: the ledger is not read yet, or the key is not known. */
    public static final class NotReady extends RuntimeException {
        public NotReady(String message) {
            super(message, null, false, false);
        }
    }

    private final BudgetLedger ledger;
    private final Supplier<PriceTable> prices;
    private final Clock clock;
    private final Duration holdTimeout;
    private final long maxOutputTokens;
    private final BooleanSupplier authority;
    private final Map<String, PlatformKey> keys = new ConcurrentHashMap<>();
    private final Map<String, CustomerBudget> customers = new ConcurrentHashMap<>();
    private final Map<String, Long> orphans =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > ORPHANS_REMEMBERED;
                }
            };
    private final Set<String> alertsSent = new HashSet<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, BudgetAlert> alerts;
    private final TopicCatalog catalog;
    private final Thread thread;
    private volatile boolean ready;
    private volatile boolean closing;

    /**
     * Starts following the topics.
     *
     * @param kafka bootstrap servers and security settings
     * @param authority whether this instance is the one that publishes threshold alerts now
     */
    public BudgetBook(
            Map<String, Object> kafka,
            TopicCatalog catalog,
            Supplier<PriceTable> prices,
            Clock clock,
            Duration holdTimeout,
            long maxOutputTokens,
            boolean holdInFlight,
            BooleanSupplier authority) {
        this.ledger = new BudgetLedger(holdInFlight);
        this.prices = prices;
        this.clock = clock;
        this.holdTimeout = holdTimeout;
        this.maxOutputTokens = maxOutputTokens;
        this.authority = authority;
        this.catalog = catalog;
        Map<String, Object> consumerSettings = new HashMap<>(kafka);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, "streammeter-metering-budgets");
        this.consumer =
                new KafkaConsumer<>(
                        consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerSettings = new HashMap<>(kafka);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, "streammeter-metering-budget-alerts");
        Topic<String, BudgetAlert> alertTopic = catalog.budgetAlerts();
        this.alerts =
                new KafkaProducer<>(
                        producerSettings,
                        alertTopic.keySerde().serializer(),
                        alertTopic.valueSerde().serializer());
        this.thread = new Thread(this::run, "metering-budgets");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether every topic was read to where it ended at start: reservations can be judged. */
    public boolean ready() {
        return ready;
    }

    /**
     * Reserves the request's worst case against its key's and customer's budgets.
     *
     * @throws NotReady before the ledger is read, or for a key this instance does not know yet
     */
    public BudgetLedger.Outcome reserve(Request request) {
        if (!ready) {
            throw new NotReady("the budget ledger is still being read");
        }
        PlatformKey key = keys.get(request.keyId());
        if (key == null || key.getStatus() != KeyStatus.ACTIVE) {
            throw new NotReady("key " + request.keyId() + " is not in the registry yet");
        }
        Instant now = clock.instant();
        long worst = worstMicros(request, now);
        String customer = key.getCustomer();
        return ledger.reserve(
                request.streamId(),
                request.keyId(),
                keyLimit(key),
                customer,
                customerLimit(customer),
                worst,
                now);
    }

    /** The worst case of {@code request} in micro-USD; 0 for a model without a price. */
    long worstMicros(Request request, Instant now) {
        WorstCase.Tokens tokens =
                WorstCase.tokens(
                        request.bodyBytes(),
                        request.maxOutputTokens(),
                        request.choices(),
                        maxOutputTokens);
        Optional<PriceEntry> price =
                request.model() == null
                        ? Optional.empty()
                        : prices.get().find(request.model(), now);
        return price.map(p -> WorstCase.micros(tokens, p)).orElse(0L);
    }

    /** The standings of a key's budget and its customer's; null for an unknown key. */
    public Standings standings(String keyId) {
        PlatformKey key = keys.get(keyId);
        if (key == null) {
            return null;
        }
        Instant now = clock.instant();
        String customer = key.getCustomer();
        Limit keyLimit = keyLimit(key);
        Limit customerLimit = customerLimit(customer);
        return new Standings(
                keyId,
                customer,
                keyLimit,
                ledger.standing(
                        new BudgetLedger.Scope(BudgetLedger.Kind.KEY, keyId),
                        keyLimit == null ? new Limit(0, BudgetPeriod.LIFETIME) : keyLimit,
                        now),
                customerLimit,
                customerLimit == null
                        ? null
                        : ledger.standing(
                                new BudgetLedger.Scope(BudgetLedger.Kind.CUSTOMER, customer),
                                customerLimit,
                                now));
    }

    /** Holds outstanding on this instance. */
    public int holdCount() {
        return ledger.holdCount();
    }

    private static Limit keyLimit(PlatformKey key) {
        return key.getBudgetMicros() == null
                ? null
                : new Limit(key.getBudgetMicros(), BudgetPeriod.parse(key.getBudgetPeriod()));
    }

    private Limit customerLimit(String customer) {
        CustomerBudget budget = customer == null ? null : customers.get(customer);
        return budget == null
                ? null
                : new Limit(budget.getBudgetMicros(), BudgetPeriod.parse(budget.getBudgetPeriod()));
    }

    private void run() {
        try {
            // Alerts first: which thresholds were announced already, so a replay does not repeat.
            List<TopicPartition> sent = partitions(catalog.budgetAlerts().name());
            consumer.assign(sent);
            consumer.seekToBeginning(sent);
            readToEnd(sent);
            List<TopicPartition> all = new ArrayList<>();
            all.addAll(partitions(catalog.keys().name()));
            all.addAll(partitions(catalog.customerBudgets().name()));
            all.addAll(partitions(catalog.streamSummaries().name()));
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            while (!closing) {
                consumer.poll(Duration.ofMillis(100)).forEach(this::apply);
                if (!ready && caughtUp(end)) {
                    ready = true;
                    LOG.info(
                            "Budgets ready: {} keys, {} customer budgets read",
                            keys.size(),
                            customers.size());
                }
                int expired = ledger.expire(clock.instant(), holdTimeout);
                if (expired > 0) {
                    LOG.warn(
                            "{} budget holds expired after {} without a line item",
                            expired,
                            holdTimeout);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Budgets stopped following their topics: reservations are refused", e);
            ready = false;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void readToEnd(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!closing && !caughtUp(end)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                BudgetAlert alert =
                        catalog.budgetAlerts()
                                .valueSerde()
                                .deserializer()
                                .deserialize(r.topic(), r.value());
                if (alert != null) {
                    alertsSent.add(
                            alertId(
                                    alert.getScope(),
                                    alert.getId(),
                                    alert.getPeriodId(),
                                    alert.getPercent()));
                }
            }
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(
                    topic + " does not exist: create it (streammeter topics)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        String key =
                r.key() == null
                        ? null
                        : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (topic.equals(catalog.keys().name())) {
            PlatformKey value =
                    catalog.keys().valueSerde().deserializer().deserialize(topic, r.value());
            if (value == null) {
                keys.remove(key);
            } else {
                keys.put(value.getKeyId(), value);
            }
        } else if (topic.equals(catalog.customerBudgets().name())) {
            CustomerBudget value =
                    catalog.customerBudgets()
                            .valueSerde()
                            .deserializer()
                            .deserialize(topic, r.value());
            if (value == null) {
                customers.remove(key);
            } else {
                customers.put(value.getCustomer(), value);
            }
        } else {
            StreamSummary item =
                    catalog.streamSummaries()
                            .valueSerde()
                            .deserializer()
                            .deserialize(topic, r.value());
            if (item != null) {
                bill(item);
            }
        }
    }

    private void bill(StreamSummary item) {
        String streamId = item.getStreamId();
        long cost = item.getCostMicros() == null ? 0 : item.getCostMicros();
        long micros = cost;
        if (item.getRevision() > 0) {
            // A late ending corrects an ORPHANED line item: only the difference is new spend.
            Long before = orphans.remove(streamId);
            micros = cost - (before == null ? 0 : before);
        } else if (item.getOutcome() == Outcome.ORPHANED) {
            orphans.put(streamId, cost);
        }
        String keyId = item.getKeyId();
        if (keyId == null) {
            ledger.release(streamId);
            return;
        }
        PlatformKey key = keys.get(keyId);
        String customer = item.getTags() == null ? null : item.getTags().get("customer");
        if (customer == null && key != null) {
            customer = key.getCustomer();
        }
        List<BudgetLedger.Alert> crossed =
                ledger.bill(
                        streamId,
                        keyId,
                        key == null ? null : keyLimit(key),
                        customer,
                        customerLimit(customer),
                        micros,
                        item.getEndedAt());
        for (BudgetLedger.Alert alert : crossed) {
            publish(alert);
        }
    }

    private void publish(BudgetLedger.Alert alert) {
        String scope = alert.scope().kind().name().toLowerCase(java.util.Locale.ROOT);
        String id = alertId(scope, alert.scope().id(), alert.periodId(), alert.percent());
        if (!ready || !authority.getAsBoolean() || !alertsSent.add(id)) {
            // Replaying history, another instance's to announce, or announced already.
            alertsSent.add(id);
            return;
        }
        BudgetAlert value =
                BudgetAlert.newBuilder()
                        .setScope(scope)
                        .setId(alert.scope().id())
                        .setPeriodId(alert.periodId())
                        .setPercent(alert.percent())
                        .setBudgetMicros(alert.budgetMicros())
                        .setBilledMicros(alert.billedMicros())
                        .setAt(clock.instant())
                        .build();
        // Keyed by the budget, so one budget's alerts share a partition and arrive in order.
        alerts.send(
                new ProducerRecord<>(
                        catalog.budgetAlerts().name(), scope + "|" + alert.scope().id(), value),
                (meta, e) -> {
                    if (e != null) {
                        LOG.warn("Budget alert {} not published: {}", id, e.toString());
                    }
                });
    }

    private static String alertId(String scope, String id, String periodId, int percent) {
        return scope + "|" + id + "|" + periodId + "|" + percent;
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        alerts.close(Duration.ofSeconds(5));
    }
}
