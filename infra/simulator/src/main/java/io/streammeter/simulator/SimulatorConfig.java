package io.streammeter.simulator;

import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.streammeter.config.ConfigLoader;
import io.streammeter.config.ConfigLoader.FileFormat;
import io.streammeter.config.ConfigTypes;
import io.streammeter.config.LoadedConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Where and how a {@link Simulator} listens.
 *
 * @param host the address to bind, {@code 127.0.0.1} by default
 * @param port the TCP port; 0 picks a free ephemeral port
 * @param eventLoops server instances, each on its own event loop of the given {@code Vertx} (at
 *     most the Vertx event-loop pool size is useful); 2 by default
 * @param ledger keep a {@link SimulatorLedger} of every answer, served by {@code GET /_sim/ledger};
 *     off by default, since it grows with every request (the fault suite turns it on)
 */
public record SimulatorConfig(String host, int port, int eventLoops, boolean ledger) {

    /** The port of a simulator started without one. */
    public static final int DEFAULT_PORT = 8090;

    /** The bind address of a simulator started without one: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Server instances by default: enough for a 2-core benchmark machine. */
    public static final int DEFAULT_EVENT_LOOPS = 2;

    /** Every key of the simulator process (docs/configuration.md). */
    public static final ConfigDef DEFINITION =
            new ConfigDef()
                    .define(
                            "host",
                            STRING,
                            DEFAULT_HOST,
                            ConfigTypes.nonBlank(),
                            MEDIUM,
                            "Address to bind; loopback by default.")
                    .define(
                            "port",
                            INT,
                            DEFAULT_PORT,
                            between(0, 65_535),
                            MEDIUM,
                            "TCP port; 0 for any free port.")
                    .define(
                            "event-loops",
                            INT,
                            DEFAULT_EVENT_LOOPS,
                            between(1, 64),
                            MEDIUM,
                            "Server instances, each on its own event loop.")
                    .define(
                            "ledger",
                            STRING,
                            "false",
                            ConfigTypes.BOOLEAN,
                            LOW,
                            "Keep a ledger of every answer (usage sent, how it ended), served by GET"
                                    + " /_sim/ledger; off by default since it grows with every"
                                    + " request (the fault suite turns it on).");

    /** Reads {@link #DEFINITION}: properties file, {@code STREAMMETER_SIMULATOR_*}, flags. */
    public static final ConfigLoader LOADER =
            new ConfigLoader(
                    DEFINITION, "STREAMMETER_SIMULATOR_", FileFormat.PROPERTIES, List.of());

    /** Defaults, then file, environment and flags ({@code --port 9000}). */
    public static SimulatorConfig load(List<String> args, Map<String, String> env) {
        return LOADER.load(args, env).build(SimulatorConfig::from);
    }

    private static SimulatorConfig from(LoadedConfig c) {
        return new SimulatorConfig(
                c.getString("host"), c.getInt("port"), c.getInt("event-loops"), c.bool("ledger"));
    }

    public SimulatorConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops must be 1-64, got " + eventLoops);
        }
    }

    /** A config without a ledger. */
    public SimulatorConfig(String host, int port, int eventLoops) {
        this(host, port, eventLoops, false);
    }

    /** A config with {@link #DEFAULT_EVENT_LOOPS} event loops. */
    public SimulatorConfig(String host, int port) {
        this(host, port, DEFAULT_EVENT_LOOPS);
    }

    /** {@code 127.0.0.1:8090}, two event loops. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(DEFAULT_HOST, DEFAULT_PORT);
    }

    /** {@code 127.0.0.1} on an ephemeral port, two event loops: what tests want. */
    public static SimulatorConfig ephemeral() {
        return new SimulatorConfig(DEFAULT_HOST, 0);
    }

    /** This config on another port. */
    public SimulatorConfig withPort(int newPort) {
        return new SimulatorConfig(host, newPort, eventLoops, ledger);
    }

    /** This config with the ledger on or off. */
    public SimulatorConfig withLedger(boolean on) {
        return new SimulatorConfig(host, port, eventLoops, on);
    }
}
