package io.streammeter.simulator;

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
