package charter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The server's logging: everything to stderr (stdout is for what the command prints), as text
 * lines or one JSON object a line, at the level asked for. The libraries' chatter (Jetty, Drools)
 * is held at warnings unless the level is debug or trace.
 */
final class LogSetup {
    /** How log lines are written. */
    enum Format { TEXT, JSON }

    /** Log levels, as {@code --log-level} takes them. */
    enum LevelName {
        ERROR, WARN, INFO, DEBUG, TRACE;

        Level level() {
            return Level.toLevel(name());
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{0} - %msg%n";

    /** Loggers that say a lot at info and nothing an operator needs. */
    private static final List<String> CHATTY = List.of("org.eclipse.jetty", "io.javalin", "org.drools", "org.kie");
    /** Lucene says at every start that the JDK's vector module is not enabled: nothing an operator can act on. */
    static final String LUCENE_VECTORS = "org.apache.lucene.internal.vectorization";
    /**
     * Drools warns about every compiled condition (they read the global {@code cond}, which is how the
     * compiler calls them, by design): errors only.
     */
    static final String DROOLS_CONSTRAINTS = "org.drools.mvel.MVELConstraint";

    private LogSetup() {}

    static void configure(Format format, LevelName levelName) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;   // another SLF4J binding: its own config
        ctx.reset();
        // java.util.logging would print its own two-line format on stderr, breaking --log-format json: route it here,
        // and let Logback's levels decide what JUL even formats.
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(ctx);
        propagator.setResetJUL(true);
        ctx.addListener(propagator);
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder e = new PatternLayoutEncoder();
                e.setPattern(TEXT_PATTERN);
                yield e;
            }
            case JSON -> {
                JsonEncoder e = new JsonEncoder();
                e.setWithSequenceNumber(false);
                e.setWithNanoseconds(false);
                e.setWithContext(false);
                e.setWithMessage(false);
                e.setWithArguments(false);
                e.setWithFormattedMessage(true);
                yield e;
            }
        };
        encoder.setContext(ctx);
        encoder.start();
        stderr.setEncoder(encoder);
        stderr.start();
        Level level = levelName.level();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(stderr);
        ctx.getLogger(DROOLS_CONSTRAINTS).setLevel(level.isGreaterOrEqual(Level.ERROR) ? level : Level.ERROR);
        ctx.getLogger(LUCENE_VECTORS).setLevel(level.isGreaterOrEqual(Level.ERROR) ? level : Level.ERROR);
        if (level.isGreaterOrEqual(Level.INFO)) {
            for (String name : CHATTY) ctx.getLogger(name).setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        }
    }
}
