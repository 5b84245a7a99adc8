package io.streammeter.metering.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.metering.metrics.MeteringMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The topology's description against {@code src/test/resources/topology.txt}: processor, store and
 * internal topic names are part of the deployed state, so a rename must be a conscious diff.
 * Regenerate with {@code -Dgolden.update=true}.
 */
class TopologyDescriptionTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "topology.txt");

    @Test
    void shouldMatchTheGoldenDescription() throws IOException {
        String actual =
                MeteringTopology.build(
                                MeteringConfig.defaults(),
                                MeteringDriver.PRICES,
                                new MeteringMetrics(new SimpleMeterRegistry()))
                        .describe()
                        .toString();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertEquals(
                Files.readString(GOLDEN, StandardCharsets.UTF_8),
                actual,
                "topology changed; if intended, rerun with -Dgolden.update=true and review the diff");
    }
}
