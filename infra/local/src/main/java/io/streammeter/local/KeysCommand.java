package io.streammeter.local;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import io.streammeter.relay.auth.KeyIds;
import io.streammeter.schemas.Topic;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "Manages platform keys on the compacted <prefix>keys topic, which relays in"
                    + " auth.mode=platform follow (a change reaches every relay within 2 s).",
            "The raw key is printed once, by create, and stored nowhere: the registry holds its"
                    + " key id (HMAC-SHA256 with the relays' key-id pepper)."
        },
        subcommands = {
            KeysCommand.Create.class,
            KeysCommand.ListKeys.class,
            KeysCommand.Show.class,
            KeysCommand.Revoke.class,
            KeysCommand.Set.class
        })
final class KeysCommand {
    private KeysCommand() {}

    /** Options every subcommand shares: Kafka, and the pepper for create. */
    static final class Common {
        @Mixin KafkaOptions kafka;

        @Option(names = "--verbose", description = "Print stack traces of errors.")
        boolean verbose;

        @Spec(Spec.Target.MIXEE)
        picocli.CommandLine.Model.CommandSpec spec;

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        Topic<String, PlatformKey> topic() {
            return kafka.catalog().keys();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Every key as the topic says now (latest version per key id). */
        Map<String, PlatformKey> readAll() {
            Properties props = kafka.clientProperties();
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Topic<String, PlatformKey> topic = topic();
            try (var consumer =
                    new KafkaConsumer<>(
                            props,
                            topic.keySerde().deserializer(),
                            topic.valueSerde().deserializer())) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), kafka.timeout);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException(
                            "topic "
                                    + topic.name()
                                    + " does not exist (streammeter topics creates it)");
                }
                List<TopicPartition> partitions =
                        infos.stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end =
                        new HashMap<>(consumer.endOffsets(partitions, kafka.timeout));
                Map<String, PlatformKey> keys = new TreeMap<>();
                long deadline = System.nanoTime() + kafka.timeout.toNanos();
                while (!end.isEmpty()) {
                    for (ConsumerRecord<String, PlatformKey> r :
                            consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() == null) {
                            keys.remove(r.key());
                        } else {
                            keys.put(r.key(), r.value());
                        }
                    }
                    end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "reading " + topic.name() + " took longer than " + kafka.timeout);
                    }
                }
                return keys;
            }
        }

        PlatformKey find(String keyId) {
            PlatformKey key = readAll().get(keyId);
            if (key == null) {
                throw new IllegalArgumentException("no key " + keyId + " in " + topic().name());
            }
            return key;
        }

        void write(PlatformKey key) {
            Properties props = kafka.clientProperties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) kafka.timeout.toMillis());
            Topic<String, PlatformKey> topic = topic();
            try (var producer =
                    new KafkaProducer<>(
                            props,
                            topic.keySerde().serializer(),
                            topic.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(topic.name(), key.getKeyId(), key))
                        .get(kafka.timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot write to " + topic.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** What create and set may change. */
    static final class Limits {
        @Option(names = "--tag", paramLabel = "NAME=VALUE", description = "A tag (repeatable).")
        Map<String, String> tags;

        @Option(
                names = "--credential",
                paramLabel = "NAME",
                description = "Named upstream credential (in the relays' auth.credentials-file).")
        String credential;

        @Option(
                names = "--model",
                paramLabel = "GLOB",
                description = "A model the key may use, exact or glob (repeatable; none: any).")
        List<String> models;

        @Option(names = "--budget-usd", paramLabel = "USD", description = "Budget per period.")
        BigDecimal budgetUsd;

        @Option(
                names = "--budget-period",
                paramLabel = "PERIOD",
                description = "day, month (calendar, UTC) or lifetime (default: month).")
        String budgetPeriod;

        @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
        Integer rpm;

        @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute.")
        Long tpm;

        void applyTo(PlatformKey.Builder key) {
            if (tags != null) {
                Map<String, String> merged = new LinkedHashMap<>(key.getTags());
                merged.putAll(tags);
                key.setTags(merged);
            }
            if (credential != null) {
                key.setUpstreamCredential(credential.isEmpty() ? null : credential);
            }
            if (models != null) {
                key.setAllowedModels(new ArrayList<>(models));
            }
            if (budgetUsd != null) {
                if (budgetUsd.signum() < 0) {
                    throw new IllegalArgumentException("--budget-usd must not be negative");
                }
                key.setBudgetMicros(budgetUsd.movePointRight(6).longValueExact());
                if (key.getBudgetPeriod() == null && budgetPeriod == null) {
                    key.setBudgetPeriod("month");
                }
            }
            if (budgetPeriod != null) {
                String period = budgetPeriod.toLowerCase(Locale.ROOT);
                if (!List.of("day", "month", "lifetime").contains(period)) {
                    throw new IllegalArgumentException(
                            "--budget-period must be day, month or lifetime");
                }
                key.setBudgetPeriod(period);
            }
            if (rpm != null) {
                key.setRequestsPerMinute(rpm);
            }
            if (tpm != null) {
                key.setTokensPerMinute(tpm);
            }
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a key; prints the raw key once (it is stored nowhere).")
    static final class Create implements Callable<Integer> {
        @Mixin Common common;

        @Option(names = "--customer", required = true, description = "Customer the key is for.")
        String customer;

        @ArgGroup(exclusive = false)
        Limits limits = new Limits();

        @Option(
                names = "--pepper-file",
                paramLabel = "FILE",
                description =
                        "File holding the relays' key-id pepper (default: $"
                                + Pepper.ENV
                                + ", else the local stack's data directory).")
        Path pepperFile;

        @Override
        public Integer call() throws Exception {
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String raw = "sk-sm-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            String keyId = KeyIds.derive(pepper(), raw);
            long now = Instant.now().toEpochMilli();
            PlatformKey.Builder key =
                    PlatformKey.newBuilder()
                            .setKeyId(keyId)
                            .setCustomer(customer)
                            .setTags(new HashMap<>())
                            .setAllowedModels(new ArrayList<>())
                            .setStatus(KeyStatus.ACTIVE)
                            .setCreatedAt(Instant.ofEpochMilli(now))
                            .setUpdatedAt(Instant.ofEpochMilli(now));
            limits.applyTo(key);
            common.write(key.build());
            PrintWriter out = common.out();
            out.println(raw);
            out.flush();
            common.err()
                    .println(
                            "created "
                                    + keyId
                                    + " for "
                                    + customer
                                    + "; the key above is shown once and stored nowhere");
            return 0;
        }

        private String pepper() throws Exception {
            String env = System.getenv(Pepper.ENV);
            if (env != null && !env.isBlank()) {
                return env;
            }
            Path file =
                    pepperFile != null
                            ? pepperFile
                            : DataDir.resolve(common.kafka.dataDir).resolve(Pepper.FILE);
            if (!Files.exists(file)) {
                throw new IllegalStateException(
                        "no pepper: set "
                                + Pepper.ENV
                                + " or --pepper-file ("
                                + file
                                + " does not exist)");
            }
            return Files.readString(file).strip();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every key.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin Common common;

        @Override
        public Integer call() {
            PrintWriter out = common.out();
            out.println("key_id\tcustomer\tstatus\tcredential\tmodels\tbudget_usd\tperiod");
            for (PlatformKey key : common.readAll().values()) {
                out.println(
                        String.join(
                                "\t",
                                key.getKeyId(),
                                key.getCustomer(),
                                key.getStatus().name().toLowerCase(Locale.ROOT),
                                String.valueOf(key.getUpstreamCredential()),
                                String.join(",", key.getAllowedModels()),
                                key.getBudgetMicros() == null
                                        ? "-"
                                        : BigDecimal.valueOf(key.getBudgetMicros(), 6)
                                                .toPlainString(),
                                String.valueOf(key.getBudgetPeriod())));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one key.")
    static final class Show implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            common.out().println(common.find(keyId).toString());
            common.out().flush();
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes a key: every relay refuses it (401) within 2 s.")
    static final class Revoke implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            PlatformKey key = common.find(keyId);
            common.write(
                    PlatformKey.newBuilder(key)
                            .setStatus(KeyStatus.REVOKED)
                            .setUpdatedAt(Instant.now())
                            .build());
            common.err().println("revoked " + keyId);
            return 0;
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Changes a key's tags, credential, models, budget or rate limits.")
    static final class Set implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @ArgGroup(exclusive = false)
        Limits limits = new Limits();

        @Override
        public Integer call() {
            PlatformKey.Builder key = PlatformKey.newBuilder(common.find(keyId));
            limits.applyTo(key);
            common.write(key.setUpdatedAt(Instant.now()).build());
            common.err().println("updated " + keyId);
            return 0;
        }
    }
}
