package io.streammeter.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineParsingTest {
    @Test
    void readsTheEndToSpendQuantilesOfAPrometheusPage() {
        String page =
                "# HELP metering_end_to_spend_seconds From a stream's end\n"
                        + "# TYPE metering_end_to_spend_seconds summary\n"
                        + "metering_end_to_spend_seconds{quantile=\"0.5\",} 0.1234\n"
                        + "metering_end_to_spend_seconds{quantile=\"0.99\",} 0.75\n"
                        + "metering_end_to_spend_seconds_count 42.0\n"
                        + "metering_end_to_spend_seconds_sum 5.5\n";
        double[] q = MeteringProbe.quantiles(page);
        assertEquals(0.1234, q[0], 1e-9);
        assertEquals(0.75, q[1], 1e-9);
    }

    @Test
    void aPageWithoutTheTimerGivesNoQuantiles() {
        double[] q = MeteringProbe.quantiles("relay_streams_total 3.0\n");
        assertTrue(Double.isNaN(q[0]) && Double.isNaN(q[1]));
    }

    @Test
    void readsNamedPids() {
        assertEquals(
                Map.of("relay", 12L, "broker", 34L), PipelineMain.pids("relay=12, broker=34,"));
    }
}
