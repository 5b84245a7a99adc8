package io.streammeter.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a simulator until SIGTERM or Ctrl-C: {@code SimulatorMain [--config=FILE] [--host H] [--port
 * N] [--event-loops N] [--ledger true]}, or the same keys as {@code STREAMMETER_SIMULATOR_*}.
 * Prints {@code simulator listening on <url>} once it accepts connections.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        SimulatorConfig config;
        try {
            config = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(
                    "usage: SimulatorMain [--host 127.0.0.1] [--port 8090] [--event-loops 2] [--ledger]");
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
        Simulator simulator;
        try {
            simulator = Simulator.start(vertx, config).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println(
                    "simulator failed to start on "
                            + config.host()
                            + ":"
                            + config.port()
                            + ": "
                            + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stop(simulator, vertx), "simulator-shutdown"));
        System.out.println("simulator listening on " + simulator.baseUrl());
    }

    private static void stop(Simulator simulator, Vertx vertx) {
        try {
            simulator.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("simulator did not stop cleanly: " + e.getMessage());
        }
    }

    static SimulatorConfig parse(String[] args, Map<String, String> env) {
        return SimulatorConfig.load(List.of(args), env);
    }
}
