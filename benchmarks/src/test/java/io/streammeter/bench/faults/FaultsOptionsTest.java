package io.streammeter.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FaultsOptionsTest {

    @Test
    void defaultsPutTheSpoolInTheWorkDirectoryAndGiveScenarioSixASmallOne() {
        FaultsMain.Options o = FaultsMain.Options.parse(new String[0]);
        assertFalse(o.quick());
        assertEquals(Map.of("spool.dir", "${work}/relay-spool"), o.relaySettings());
        assertEquals(Map.of("spool.max-bytes", "64KiB"), o.spoolSettings());
        assertEquals("spool.full-policy", o.spoolPolicyKey());
        assertEquals(Path.of("target/faults/results.md").toAbsolutePath(), o.out());
    }

    @Test
    void repeatedSettingsAccumulateAndOnlySplitsOnCommas() {
        FaultsMain.Options o =
                FaultsMain.Options.parse(
                        new String[] {
                            "--quick",
                            "--only",
                            "1a,3",
                            "--relay-setting",
                            "spool.dir=/tmp/s",
                            "--relay-setting=access-log=true",
                            "--spool-setting",
                            "spool.max-bytes=1MiB",
                            "--work",
                            "/tmp/w"
                        });
        assertTrue(o.quick());
        assertEquals(Set.of("1a", "3"), o.only());
        assertEquals(Map.of("spool.dir", "/tmp/s", "access-log", "true"), o.relaySettings());
        assertEquals(Map.of("spool.max-bytes", "1MiB"), o.spoolSettings());
        assertEquals(Path.of("/tmp/w/results.md"), o.out());
    }

    @Test
    void anUnknownFlagOrASettingWithoutValueIsRefusedNamingIt() {
        var unknown =
                assertThrows(
                        CommandLine.ParameterException.class,
                        () -> FaultsMain.Options.parse(new String[] {"--qiuck"}));
        assertTrue(unknown.getMessage().contains("--qiuck"), unknown.getMessage());
        var noValue =
                assertThrows(
                        CommandLine.ParameterException.class,
                        () ->
                                FaultsMain.Options.parse(
                                        new String[] {"--relay-setting", "spool.dir"}));
        assertTrue(noValue.getMessage().contains("--relay-setting"), noValue.getMessage());
    }
}
