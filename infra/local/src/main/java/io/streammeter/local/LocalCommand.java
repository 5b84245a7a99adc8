package io.streammeter.local;

import io.streammeter.kafka.LocalKafka;
import io.streammeter.schemas.TopicCatalog;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole stack in this process: a Kafka broker (data under --data-dir), the"
                    + " topics, metering and its query API, the relay, and the simulated upstream"
                    + " unless --upstream is given.",
            "Ctrl-C or SIGTERM stops everything cleanly: streams in flight are ended, the producer"
                    + " flushed, the broker closed."
        })
final class LocalCommand implements Callable<Integer> {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Broker data, metering state and the key-id pepper (default:"
                            + " $STREAMMETER_DATA_DIR, else .streammeter in the installation).")
    Path dataDir;

    @Option(
            names = "--upstream",
            paramLabel = "URL",
            description =
                    "Base URL of an OpenAI-compatible API, such as https://api.openai.com/v1"
                            + " (default: the built-in simulator).")
    URI upstream;

    @Option(
            names = "--anthropic-upstream",
            paramLabel = "URL",
            description =
                    "Base URL of an Anthropic-compatible API for /v1/messages (default: the"
                            + " simulator when --upstream is not given, else"
                            + " https://api.anthropic.com/v1).")
    URI anthropicUpstream;

    @Option(
            names = "--upstream-api-key-env",
            paramLabel = "VAR",
            description =
                    "Environment variable holding a key that replaces the clients' keys towards"
                            + " the upstream (default: pass the clients' keys through).")
    String upstreamKeyEnv;

    @Option(
            names = "--relay-port",
            defaultValue = "8080",
            description = "Relay port (default: ${DEFAULT-VALUE}).")
    int relayPort;

    @Option(
            names = "--platform-port",
            defaultValue = "8082",
            description =
                    "Port of the relay for platform keys, with budgets and rate limits (default:"
                            + " ${DEFAULT-VALUE}; docs/keys-and-budgets.md).")
    int platformPort;

    @Option(
            names = "--api-port",
            defaultValue = "8081",
            description = "Query API port (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(
            names = "--kafka-port",
            defaultValue = "" + LocalKafka.DEFAULT_PORT,
            description =
                    "Kafka port; the controller takes the next one (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--brokers",
            defaultValue = "1",
            description =
                    "Kafka brokers to start (default: ${DEFAULT-VALUE}, the broker that keeps its"
                            + " data under --data-dir). More starts an in-process cluster on"
                            + " ephemeral ports whose data lasts as long as the process; from 3 on"
                            + " topics get replication factor 3 and min.insync.replicas=2."
                            + " --kafka-port then does not apply.")
    int brokers;

    @Option(
            names = "--simulator-port",
            defaultValue = "8090",
            description = "Simulator port (default: ${DEFAULT-VALUE}).")
    int simulatorPort;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting a broker.")
    String bootstrap;

    @Option(
            names = "--topic-prefix",
            defaultValue = TopicCatalog.DEFAULT_PREFIX,
            description = "Prefix of every topic (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(
            names = "--prices",
            paramLabel = "FILE",
            description = "Price file (default: the bundled example).")
    Path prices;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (brokers < 1) {
            throw new IllegalArgumentException("--brokers must be at least 1: " + brokers);
        }
        Path dataDir = DataDir.resolve(this.dataDir);
        String upstreamKey = upstreamKeyEnv == null ? null : System.getenv(upstreamKeyEnv);
        if (upstreamKeyEnv != null && upstreamKey == null) {
            throw new IllegalArgumentException(
                    "--upstream-api-key-env " + upstreamKeyEnv + " is not set in the environment");
        }
        out.println("streammeter: starting (data in " + dataDir.toAbsolutePath() + ") ...");
        out.flush();
        long began = System.nanoTime();
        LocalStack stack =
                LocalStack.start(
                        new LocalStack.Options(
                                dataDir,
                                bootstrap,
                                kafkaPort,
                                relayPort,
                                apiPort,
                                simulatorPort,
                                upstream,
                                anthropicUpstream,
                                upstreamKey,
                                topicPrefix,
                                prices,
                                1,
                                brokers,
                                platformPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    out.println("streammeter: stopping ...");
                                    out.flush();
                                    stack.close();
                                    stopped.countDown();
                                },
                                "streammeter-local-shutdown"));
        printReady(out, stack, (System.nanoTime() - began) / 1_000_000);
        stopped.await();
        return 0;
    }

    private void printReady(PrintWriter out, LocalStack stack, long millis) {
        out.printf("streammeter is up (%.1f s)%n", millis / 1000.0);
        out.println(
                "  relay      "
                        + stack.relayUrl()
                        + "/v1   (/chat/completions and Anthropic /messages)");
        if (stack.platformRelayUrl() != null) {
            out.println(
                    "  platform   "
                            + stack.platformRelayUrl()
                            + "/v1   (platform keys only: bin/streammeter keys create; budgets)");
        }
        out.println(
                "  query API  "
                        + stack.apiUrl()
                        + "/v1/spend   (admin token: bin/streammeter admin-token)");
        out.println(
                "  spend page "
                        + stack.apiUrl()
                        + "/ui/   (open it in a browser; paste the admin token)");
        out.println(
                "  metrics    "
                        + stack.relayUrl()
                        + "/metrics   (Prometheus; bearer: bin/streammeter admin-token)");
        out.println("  Kafka      " + stack.bootstrapServers());
        out.println(
                "  upstream   "
                        + stack.upstreamUrl()
                        + "  (Anthropic: "
                        + stack.anthropicUrl()
                        + ")");
        out.println();
        out.println("Try it:");
        out.println(
                "  curl -N "
                        + stack.relayUrl()
                        + "/v1/chat/completions -H 'Authorization: Bearer sk-demo-123'"
                        + " -H 'Content-Type: application/json'"
                        + " -d '{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        out.println(
                "  KEY_ID=$(echo sk-demo-123 | bin/streammeter key-id)   # the key id metering"
                        + " bills");
        out.println(
                "  curl -H \"Authorization: Bearer $(bin/streammeter admin-token)\" '"
                        + stack.apiUrl()
                        + "/v1/spend?key_id='$KEY_ID'&from="
                        + today
                        + "&to="
                        + today.plusDays(1)
                        + "&granularity=hour'");
        out.println(
                "  curl -H \"Authorization: Bearer $(bin/streammeter admin-token)\" "
                        + stack.relayUrl()
                        + "/metrics");
        out.println(
                "  bin/streammeter export spend --from "
                        + today
                        + " --to "
                        + today.plusDays(1)
                        + " --format csv");
        out.println("Ctrl-C stops everything.");
        out.flush();
    }
}
