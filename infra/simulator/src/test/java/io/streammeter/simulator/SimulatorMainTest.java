package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void shouldReadHostPortAndEventLoopsFlags() {
        assertEquals(SimulatorConfig.defaults(), SimulatorMain.parse(new String[0], Map.of()));
        assertEquals(
                new SimulatorConfig("0.0.0.0", 9000, 4),
                SimulatorMain.parse(
                        new String[] {"--port", "9000", "--host", "0.0.0.0", "--event-loops", "4"},
                        Map.of()));
        assertEquals(
                new SimulatorConfig("127.0.0.1", 9001, 2),
                SimulatorMain.parse(
                        new String[] {"--port=9001"}, Map.of("STREAMMETER_SIMULATOR_PORT", "9000")),
                "flags over the environment");
    }

    @Test
    void shouldRejectUnknownFlagsAndBadValues() {
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SimulatorMain.parse(new String[] {"--prot", "1"}, Map.of()))
                        .getMessage()
                        .contains("Unknown setting 'prot' in flags"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SimulatorMain.parse(new String[] {"--port"}, Map.of()))
                        .getMessage()
                        .contains("--port needs a value"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        SimulatorMain.parse(
                                                new String[] {"--port", "70000"}, Map.of()))
                        .getMessage()
                        .contains(
                                "port from flags: Value must be no more than 65535; accepted: [0,...,65535]"));
    }

    @Test
    void shouldTurnTheLedgerOnOnlyWithTheLedgerFlag() {
        assertTrue(!SimulatorMain.parse(new String[0], Map.of()).ledger());
        assertEquals(
                new SimulatorConfig("127.0.0.1", 0, 2, true),
                SimulatorMain.parse(new String[] {"--port", "0", "--ledger", "true"}, Map.of()));
    }
}
