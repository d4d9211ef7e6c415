package dev.portbank.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends every log record to stdout as one line, in text or JSON, with the request id when there is one. Every part of
 * a line goes through {@link LogText}, so nothing a client sends can break a line or forge one.
 */
public final class LogSetup {
    /** JUL holds loggers weakly: keep the ones we configure, or their levels are forgotten. */
    private static final java.util.List<Logger> CONFIGURED = new java.util.ArrayList<>();

    private LogSetup() {
    }

    public static void configure(String format, String level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level rootLevel = switch (level) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        };
        root.setLevel(rootLevel);
        boolean debug = rootLevel == Level.FINE;
        Formatter formatter = formatter(format, debug);
        Handler stdout = new StdoutHandler(System.out, formatter);
        stdout.setLevel(rootLevel);
        root.addHandler(stdout);
        // Libraries are chatty at INFO; their warnings still show.
        for (String library : new String[] {"io.helidon", "com.zaxxer.hikari", "org.flywaydb", "redis.clients"}) {
            Logger logger = Logger.getLogger(library);
            logger.setLevel(debug ? Level.FINE : Level.WARNING);
            CONFIGURED.add(logger);
        }
    }

    /** The line format for {@code text} or {@code json}. */
    static Formatter formatter(String format, boolean debug) {
        return "json".equals(format) ? new JsonLine(debug) : new TextLine(debug);
    }

    private static String levelName(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        return level.intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return Map.of();
    }

    private static String message(LogRecord record) {
        return fields(record).isEmpty() && record.getParameters() != null
                ? java.text.MessageFormat.format(record.getMessage(), record.getParameters())
                : record.getMessage();
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static final class TextLine extends Formatter {
        private final boolean debug;

        TextLine(boolean debug) {
            this.debug = debug;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(160)
                    .append(record.getInstant()).append(' ')
                    .append(String.format("%-5s", levelName(record.getLevel()))).append(' ')
                    .append(LogText.escape(shortName(record.getLoggerName()))).append(' ');
            String requestId = RequestId.current();
            if (requestId != null) {
                line.append('[').append(LogText.escape(requestId)).append("] ");
            }
            line.append(LogText.escape(message(record)));
            fields(record).forEach((name, value) -> line.append(' ').append(LogText.escape(name)).append('=')
                    .append(LogText.value(value)));
            if (record.getThrown() != null) {
                line.append(" error=").append(LogText.value(record.getThrown()));
                if (debug) {
                    // Every line of the trace is indented, so none of them can pass for a log line of its own.
                    stackTrace(record.getThrown()).lines().forEach(traceLine -> line.append(System.lineSeparator())
                            .append('\t').append(LogText.escape(traceLine)));
                }
            }
            return line.append(System.lineSeparator()).toString();
        }

        private static String shortName(String logger) {
            if (logger == null) {
                return "-";
            }
            return logger.substring(logger.lastIndexOf('.') + 1);
        }
    }

    private static final class JsonLine extends Formatter {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        static {
            MAPPER.getFactory().setCharacterEscapes(new LogText.JsonEscapes());
        }

        private final boolean debug;

        JsonLine(boolean debug) {
            this.debug = debug;
        }

        @Override
        public String format(LogRecord record) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("ts", Instant.ofEpochMilli(record.getMillis()).toString());
            line.put("level", levelName(record.getLevel()));
            line.put("logger", record.getLoggerName());
            String requestId = RequestId.current();
            if (requestId != null) {
                line.put("requestId", requestId);
            }
            line.put("message", message(record));
            // Numbers and booleans stay JSON numbers and booleans; anything else is logged as its text.
            fields(record).forEach((name, value) -> line.putIfAbsent(name,
                    value instanceof Number || value instanceof Boolean || value == null ? value
                            : String.valueOf(value)));
            if (record.getThrown() != null) {
                line.put("error", record.getThrown().toString());
                if (debug) {
                    line.put("stackTrace", stackTrace(record.getThrown()));
                }
            }
            try {
                return MAPPER.writeValueAsString(line) + System.lineSeparator();
            } catch (JsonProcessingException e) {
                return "{\"level\":\"ERROR\",\"message\":\"unloggable record\"}" + System.lineSeparator();
            }
        }
    }
}
