package io.streammeter.relay.support;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures everything logged while open: the relay's own loggers at every level (debug included),
 * the rest at what the test configuration lets through.
 */
public final class LogCapture implements AutoCloseable {
    private static final String NAME = "capture";
    private static final String[] VERBOSE = {"io.streammeter", "io.vertx"};

    private final StringWriter text = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    public LogCapture() {
        Configuration config = context.getConfiguration();
        WriterAppender appender =
                WriterAppender.newBuilder()
                        .setName(NAME)
                        .setTarget(text)
                        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build())
                        .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        for (String name : VERBOSE) {
            LoggerConfig logger = new LoggerConfig(name, Level.ALL, false);
            logger.addAppender(appender, null, null);
            config.addLogger(name, logger);
        }
        context.updateLoggers();
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (String name : VERBOSE) {
            config.removeLogger(name);
        }
        config.getRootLogger().removeAppender(NAME);
        context.updateLoggers();
    }
}
