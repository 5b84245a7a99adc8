package io.streammeter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigTypesTest {

    @Test
    void shouldParseShortAndIsoDurations() {
        assertEquals(Duration.ofMillis(500), ConfigTypes.duration("500ms"));
        assertEquals(Duration.ofSeconds(5), ConfigTypes.duration("5s"));
        assertEquals(Duration.ofMinutes(2), ConfigTypes.duration("2m"));
        assertEquals(Duration.ofHours(1), ConfigTypes.duration("1h"));
        assertEquals(Duration.ofDays(7), ConfigTypes.duration("7d"));
        assertEquals(Duration.ofSeconds(5), ConfigTypes.duration("PT5S"));
        assertEquals(Duration.ofDays(7), ConfigTypes.duration("P7D"));
        assertThrows(IllegalArgumentException.class, () -> ConfigTypes.duration("soon"));
    }

    @Test
    void shouldParseByteSizesAndLenientBooleans() {
        assertEquals(1_048_576L, ConfigTypes.byteSize("1048576"));
        assertEquals(512L * 1024, ConfigTypes.byteSize("512KiB"));
        assertEquals(8L * 1024 * 1024, ConfigTypes.byteSize("8MiB"));
        assertEquals(1L << 30, ConfigTypes.byteSize("1GiB"));
        assertThrows(IllegalArgumentException.class, () -> ConfigTypes.byteSize("8MB"));
        assertTrue(ConfigTypes.bool("on") && ConfigTypes.bool("YES") && ConfigTypes.bool("true"));
        assertFalse(ConfigTypes.bool("off") || ConfigTypes.bool("no") || ConfigTypes.bool("false"));
        assertThrows(IllegalArgumentException.class, () -> ConfigTypes.bool("maybe"));
    }

    @Test
    void shouldReadDurationsOnTheCommandLineAsKeysDo() {
        class Command {
            @CommandLine.Option(names = "--kafka-timeout", defaultValue = "10s")
            Duration timeout;
        }
        Command command = new Command();
        CliConverters.register(new CommandLine(command)).parseArgs("--kafka-timeout", "5s");
        assertEquals(Duration.ofSeconds(5), command.timeout);

        CliConverters.register(new CommandLine(command)).parseArgs("--kafka-timeout=PT1M");
        assertEquals(Duration.ofMinutes(1), command.timeout);

        assertEquals(512L * 1024, new CliConverters.ByteSizeConverter().convert("512KiB"));
        assertThrows(
                CommandLine.ParameterException.class,
                () ->
                        CliConverters.register(new CommandLine(new Command()))
                                .parseArgs("--kafka-timeout", "soon"));
    }

    @Test
    void shouldParseFlagsInBothForms() {
        assertEquals(
                Map.of("a", "1", "b.c", "x=y", "d", "2"),
                Flags.parse(List.of("--a=1", "--b.c", "x=y", "--d", "2")));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Flags.parse("--port"))
                        .getMessage()
                        .contains("--port needs a value"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Flags.parse("port=1"))
                        .getMessage()
                        .contains("expected --key=value"));
    }
}
