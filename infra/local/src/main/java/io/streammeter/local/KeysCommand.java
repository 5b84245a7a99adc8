package io.streammeter.local;

import io.streammeter.avro.CustomerBudget;
import io.streammeter.avro.PlatformKey;
import io.streammeter.metering.keys.CompactedTopic;
import io.streammeter.metering.keys.CustomerBudgets;
import io.streammeter.metering.keys.KeyChange;
import io.streammeter.metering.keys.KeyRecords;
import io.streammeter.metering.keys.KeyTopic;
import io.streammeter.schemas.Topic;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
            KeysCommand.Set.class,
            KeysCommand.CustomerBudgetCommand.class
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

        /** The keys topic through the same code as metering's admin API. */
        KeyTopic keyTopic() {
            Map<String, Object> settings = new HashMap<>();
            kafka.clientProperties().forEach((k, v) -> settings.put(String.valueOf(k), v));
            return new KeyTopic(settings, topic(), kafka.timeout);
        }

        /** Every key as the topic says now (latest version per key id). */
        Map<String, PlatformKey> readAll() {
            try (KeyTopic keys = keyTopic()) {
                return keys.readAll();
            }
        }

        PlatformKey find(String keyId) {
            try (KeyTopic keys = keyTopic()) {
                return keys.find(keyId)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no key " + keyId + " in " + keys.name()));
            }
        }

        void write(PlatformKey key) {
            try (KeyTopic keys = keyTopic()) {
                keys.write(key);
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

        /** The options as a change: validated by {@link KeyRecords}, like the admin API's. */
        KeyChange change(String customer) {
            return new KeyChange(
                    customer, tags, credential, models, budgetUsd, budgetPeriod, rpm, tpm);
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
            KeyRecords.Created created =
                    KeyRecords.create(pepper(), limits.change(customer), Instant.now());
            String raw = created.rawKey();
            String keyId = created.key().getKeyId();
            common.write(created.key());
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
            common.write(KeyRecords.revoke(key, Instant.now()));
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
            common.write(KeyRecords.apply(common.find(keyId), limits.change(null), Instant.now()));
            common.err().println("updated " + keyId);
            return 0;
        }
    }

    @Command(
            name = "customer-budget",
            mixinStandardHelpOptions = true,
            description = {
                "Sets (or with --clear removes) a customer's budget over all its keys, on the"
                        + " compacted <prefix>customer-budgets topic; metering checks it at"
                        + " admission beside each key's own budget.",
                "Example: streammeter keys customer-budget --customer acme --budget-usd 500"
                        + " --budget-period month"
            })
    static final class CustomerBudgetCommand implements Callable<Integer> {
        @Mixin Common common;

        @Option(names = "--customer", required = true, paramLabel = "CUSTOMER")
        String customer;

        @Option(names = "--budget-usd", paramLabel = "USD", description = "Budget per period.")
        BigDecimal budgetUsd;

        @Option(
                names = "--budget-period",
                paramLabel = "PERIOD",
                description = "day, month (calendar, UTC) or lifetime (default: month).")
        String budgetPeriod;

        @Option(names = "--clear", description = "Remove the customer's budget.")
        boolean clear;

        @Override
        public Integer call() {
            Map<String, Object> settings = new HashMap<>();
            common.kafka.clientProperties().forEach((k, v) -> settings.put(String.valueOf(k), v));
            try (CompactedTopic<CustomerBudget> topic =
                    CustomerBudgets.topic(
                            settings,
                            common.kafka.catalog().customerBudgets(),
                            common.kafka.timeout)) {
                if (clear) {
                    topic.delete(customer);
                    common.err().println("removed the budget of " + customer);
                    return 0;
                }
                if (budgetUsd == null) {
                    throw new IllegalArgumentException(
                            "--budget-usd is required (or --clear to remove the budget)");
                }
                CustomerBudget budget =
                        CustomerBudgets.of(customer, budgetUsd, budgetPeriod, Instant.now());
                topic.write(budget);
                common.err()
                        .println(
                                "budget of "
                                        + customer
                                        + ": "
                                        + CustomerBudgets.view(budget).get("budget_usd")
                                        + " USD per "
                                        + budget.getBudgetPeriod());
            }
            return 0;
        }
    }
}
