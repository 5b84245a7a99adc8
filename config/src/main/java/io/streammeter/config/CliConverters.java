package io.streammeter.config;

import java.time.Duration;
import picocli.CommandLine;

/**
 * {@link ConfigTypes}' parsers as picocli converters, so that a command-line option reads a value
 * exactly as a configuration key does ({@code --kafka-timeout 5s}). Register them on the command
 * line with {@link #register(CommandLine)}.
 */
public final class CliConverters {
    private CliConverters() {}

    /** Registers every converter for every option of the command and its subcommands. */
    public static CommandLine register(CommandLine commandLine) {
        return commandLine.registerConverter(Duration.class, new DurationConverter());
    }

    /** {@link ConfigTypes#duration(String)}. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return ConfigTypes.duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        e.getMessage() + " (use 500ms, 5s, 2m, 1h, 7d or PT5S)");
            }
        }
    }

    /** {@link ConfigTypes#byteSize(String)}, in bytes. */
    public static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ConfigTypes.byteSize(value);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException(
                        e.getMessage() + " (use 1048576, 512KiB, 8MiB or 1GiB)");
            }
        }
    }
}
