package dev.portbank.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured events: one log line with named fields (access, audit, lifecycle), rendered as {@code key=value} pairs
 * in text and as JSON properties in JSON. Callers pass only what may be logged: never a token or a password.
 */
public final class EventLog {
    private final Logger logger;

    private EventLog(Logger logger) {
        this.logger = logger;
    }

    public static EventLog of(Class<?> owner) {
        return new EventLog(Logger.getLogger(owner.getName()));
    }

    public static EventLog named(String name) {
        return new EventLog(Logger.getLogger(name));
    }

    /** Logs event {@code event} with fields given as alternating names and values. */
    public void info(String event, Object... namesAndValues) {
        log(Level.INFO, event, namesAndValues);
    }

    public void warn(String event, Object... namesAndValues) {
        log(Level.WARNING, event, namesAndValues);
    }

    public void log(Level level, String event, Object... namesAndValues) {
        if (!logger.isLoggable(level)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        LogRecord record = new LogRecord(level, event);
        record.setLoggerName(logger.getName());
        record.setParameters(new Object[] {fields});
        logger.log(record);
    }
}
