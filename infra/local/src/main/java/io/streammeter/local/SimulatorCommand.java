package io.streammeter.local;

import io.streammeter.simulator.SimulatorMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
        name = "simulator",
        description = {
            "Runs the scripted OpenAI/Anthropic-compatible upstream alone (flags: --host, --port,"
                    + " --event-loops). Requests are scripted with the X-Sim-Script header: see"
                    + " infra/simulator/README.md."
        })
final class SimulatorCommand implements Callable<Integer> {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Unmatched List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SimulatorMain.main(settings.toArray(String[]::new));
        // The server runs on its own threads until SIGTERM; its shutdown hook stops it.
        Thread.currentThread().join();
        return 0;
    }
}
