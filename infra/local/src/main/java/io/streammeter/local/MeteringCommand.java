package io.streammeter.local;

import io.streammeter.metering.MeteringMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
        name = "metering",
        description = {
            "Runs metering and its query API alone against an existing Kafka cluster; instances"
                    + " with the same application id share the work.",
            "Every other flag (--KEY=VALUE) is a metering setting (see"
                    + " metering/config/metering.example.yaml); STREAMMETER_METERING_*"
                    + " environment variables work too."
        })
final class MeteringCommand implements Callable<Integer> {
    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;

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
            args.add("--bootstrap-servers=" + bootstrap);
        }
        MeteringMain.main(args.toArray(String[]::new));
        return 0;
    }
}
