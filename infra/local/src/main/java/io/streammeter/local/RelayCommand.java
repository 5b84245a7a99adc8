package io.streammeter.local;

import io.streammeter.relay.RelayMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
        name = "relay",
        description = {
            "Runs the relay alone against an existing Kafka cluster, for deployments where relays"
                    + " scale on their own.",
            "Every other flag (--KEY=VALUE) is a relay setting: run 'streammeter relay --relay-help'"
                    + " for them; STREAMMETER_RELAY_* environment variables work too."
        })
final class RelayCommand implements Callable<Integer> {
    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--relay-help", description = "Lists the relay's settings.")
    boolean relayHelp;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Unmatched List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        List<String> args = new ArrayList<>(settings);
        if (bootstrap != null) {
            args.add("--kafka.bootstrap-servers=" + bootstrap);
        }
        if (relayHelp) {
            args.add("--help");
        }
        RelayMain.main(args.toArray(String[]::new));
        if (!relayHelp) {
            // The server runs on its own threads until SIGTERM; its shutdown hook stops it.
            Thread.currentThread().join();
        }
        return 0;
    }
}
