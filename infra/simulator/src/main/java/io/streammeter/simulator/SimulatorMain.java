package io.streammeter.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * Runs a simulator until SIGTERM or Ctrl-C: {@code SimulatorMain [--host H] [--port N]
 * [--event-loops N] [--ledger]}. Prints {@code simulator listening on <url>} once it accepts
 * connections.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        SimulatorConfig config;
        try {
            config = parse(args);
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

    static SimulatorConfig parse(String[] args) {
        String host = SimulatorConfig.DEFAULT_HOST;
        int port = SimulatorConfig.DEFAULT_PORT;
        int eventLoops = SimulatorConfig.DEFAULT_EVENT_LOOPS;
        boolean ledger = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--ledger")) {
                ledger = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> host = value;
                case "--port" -> port = number(flag, value);
                case "--event-loops" -> eventLoops = number(flag, value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return new SimulatorConfig(host, port, eventLoops, ledger);
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
        }
    }
}
