package io.streammeter.relay;

import io.streammeter.relay.config.RelayConfig;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as a process: configuration from a file, the environment and flags; started until
 * SIGTERM (or SIGINT), which shuts it down gracefully before the JVM exits.
 */
public final class RelayMain {
    static {
        // The relay's own logging setup, unless the operator names one; set before any logger
        // exists.
        // A plain log4j2.properties would also configure every application embedding the relay.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "streammeter-relay-log4j2.properties");
        }
        // Our shutdown hook logs while streams drain; Log4j's own hook would stop logging first.
        if (System.getProperty("log4j2.shutdownHookEnabled") == null) {
            System.setProperty("log4j2.shutdownHookEnabled", "false");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RelayMain.class);

    private RelayMain() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            usage();
            return;
        }
        RelayConfig config;
        try {
            config = RelayConfig.load(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("streammeter relay: " + e.getMessage());
            System.err.println("Run with --help for the configuration keys.");
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        Relay relay;
        try {
            relay = Relay.start(vertx, config).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("streammeter relay: " + e.getMessage());
            LOG.debug("Relay failed to start", e);
            vertx.close();
            System.exit(1);
            return;
        }
        // The JVM runs shutdown hooks on SIGTERM and SIGINT; the hook blocks until streams end.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> stop(vertx, relay), "streammeter-relay-shutdown"));
        System.out.println(
                "streammeter relay listening on " + config.listenHost() + ":" + relay.port());
    }

    private static void stop(Vertx vertx, Relay relay) {
        long limit = relay.config().shutdownGrace().toSeconds() + 30;
        try {
            relay.shutdown().await(limit, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Relay did not shut down cleanly within {} s", limit, e);
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close within 10 s", e);
        }
        // On stdout, not the log: the logging system may already be stopping with the JVM.
        System.out.println("streammeter relay stopped");
    }

    private static void usage() {
        System.out.println("Usage: relay [--config=FILE] [--KEY=VALUE ...]");
        System.out.println();
        System.out.println(
                "Values come from FILE (or $"
                        + RelayConfig.LOADER.configEnv()
                        + "), then the environment, then flags. Keys, with their environment variables:");
        for (String key : RelayConfig.DEFINITION.names()) {
            System.out.printf("  %-28s %s%n", key, RelayConfig.LOADER.envName(key));
        }
        System.out.printf(
                "  %-28s %s*%n",
                RelayConfig.PRODUCER_PREFIX + "*",
                RelayConfig.LOADER.envName(RelayConfig.PRODUCER_PREFIX));
        System.out.println();
        System.out.println("docs/configuration.md explains each key.");
    }
}
