package io.streammeter.simulator;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted upstream that speaks the OpenAI Chat Completions API ({@code POST
 * /v1/chat/completions}) and the Anthropic Messages API ({@code POST /v1/messages}), streaming and
 * not, each request answered as its {@code X-Sim-Script} header says (see {@link Script}).
 *
 * <pre>{@code
 * Simulator sim = Simulator.start(vertx, SimulatorConfig.ephemeral()).await();
 * URI chat = URI.create(sim.baseUrl() + "/v1/chat/completions");
 * }</pre>
 */
public final class Simulator implements AutoCloseable {

    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final SimulatorConfig config;
    private final int port;
    private final SimulatorStats stats;
    private final SimulatorLedger ledger;
    private static final AtomicInteger EPHEMERAL_KEYS = new AtomicInteger();

    private final String deployment;

    private Simulator(
            Vertx vertx,
            SimulatorConfig config,
            int port,
            SimulatorStats stats,
            SimulatorLedger ledger,
            String deployment) {
        this.vertx = vertx;
        this.config = config;
        this.port = port;
        this.stats = stats;
        this.ledger = ledger;
        this.deployment = deployment;
    }

    /**
     * Starts a simulator on {@code config.eventLoops()} event loops of {@code vertx}; the future
     * completes once it accepts connections.
     */
    public static Future<Simulator> start(Vertx vertx, SimulatorConfig config) {
        SimulatorStats stats = new SimulatorStats();
        SimulatorLedger ledger = config.ledger() ? new SimulatorLedger() : null;
        // Vert.x shares one socket among the instances of a port; for an ephemeral port that takes
        // a negative key, unique per simulator so that two simulators never share.
        int port = config.port() == 0 ? -EPHEMERAL_KEYS.incrementAndGet() : config.port();
        List<SimulatorVerticle> instances = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(
                        () -> {
                            SimulatorVerticle verticle =
                                    new SimulatorVerticle(config.host(), port, stats, ledger);
                            instances.add(verticle);
                            return verticle;
                        },
                        new DeploymentOptions().setInstances(config.eventLoops()))
                .map(
                        id -> {
                            int bound =
                                    instances.stream()
                                            .mapToInt(SimulatorVerticle::actualPort)
                                            .max()
                                            .orElse(-1);
                            return new Simulator(vertx, config, bound, stats, ledger, id);
                        });
    }

    /** The bound TCP port (the ephemeral one when the config asked for 0). */
    public int port() {
        return port;
    }

    /**
     * {@code http://127.0.0.1:<port>} (or the bound host), without {@code /v1}: the OpenAI route is
     * {@code baseUrl() + "/v1/chat/completions"}, the Anthropic one {@code baseUrl() +
     * "/v1/messages"}.
     */
    public String baseUrl() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port;
    }

    /** The live counters of this simulator. */
    public SimulatorStats stats() {
        return stats;
    }

    /** What this simulator answered, or null when its config has no ledger. */
    public SimulatorLedger ledger() {
        return ledger;
    }

    /** Stops listening and closes every open connection, stalled streams included. */
    public Future<Void> stop() {
        return vertx.undeploy(deployment);
    }

    /**
     * Stops and waits up to 30 s, for tests and {@code try}-with-resources. Must not be called on
     * an event loop, which the wait would block.
     */
    @Override
    public void close() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("close() blocks; use stop() on an event loop");
        }
        try {
            stop().toCompletionStage()
                    .toCompletableFuture()
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the simulator did not stop cleanly", e);
        }
    }
}
