package io.streammeter.metering;

import io.streammeter.metering.config.MeteringConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Starts metering from a config file, environment and flags ({@link MeteringConfig#load}); stops
 * cleanly on SIGTERM. Exit status: 0 after a clean stop, 1 when processing failed, 2 for bad
 * configuration.
 */
public final class MeteringMain {
    private MeteringMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.println(
                    "usage: metering [--config=FILE] [--KEY=VALUE ...] [--kafka.NAME=VALUE ...]");
            System.out.println("keys: " + String.join(", ", MeteringConfig.DEFINITION.names()));
            System.out.println("docs/configuration.md explains each key.");
            return;
        }
        MeteringConfig config;
        try {
            config = MeteringConfig.load(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("metering: " + e.getMessage());
            System.exit(2);
            return;
        }
        Metering metering;
        try {
            metering = Metering.start(config);
        } catch (RuntimeException e) {
            System.err.println("metering: " + e.getMessage());
            System.exit(1);
            return;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stopping.set(true);
                                    metering.close();
                                },
                                "metering-shutdown"));
        State last = metering.awaitTermination();
        if (!stopping.get()) {
            metering.close();
            System.exit(last == State.ERROR ? 1 : 0);
        }
    }
}
