package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void shouldReadHostPortAndEventLoopsFlags() {
        assertEquals(SimulatorConfig.defaults(), SimulatorMain.parse(new String[0]));
        assertEquals(
                new SimulatorConfig("0.0.0.0", 9000, 4),
                SimulatorMain.parse(
                        new String[] {
                            "--port", "9000", "--host", "0.0.0.0", "--event-loops", "4"
                        }));
    }

    @Test
    void shouldRejectUnknownFlagsAndBadValues() {
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SimulatorMain.parse(new String[] {"--prot", "1"}))
                        .getMessage()
                        .contains("unknown flag --prot"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SimulatorMain.parse(new String[] {"--port"}))
                        .getMessage()
                        .contains("--port needs a value"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SimulatorMain.parse(new String[] {"--port", "70000"}))
                        .getMessage()
                        .contains("port must be 0-65535"));
    }

    @Test
    void shouldTurnTheLedgerOnOnlyWithTheLedgerFlag() {
        assertTrue(!SimulatorMain.parse(new String[0]).ledger());
        assertEquals(
                new SimulatorConfig("127.0.0.1", 0, 2, true),
                SimulatorMain.parse(new String[] {"--port", "0", "--ledger"}));
    }
}
