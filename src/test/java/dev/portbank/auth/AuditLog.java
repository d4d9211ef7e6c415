package dev.portbank.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what the {@code audit} logger writes while open: each record as its event and structured fields. */
final class AuditLog implements AutoCloseable {
    private final Logger logger = Logger.getLogger("audit");
    private final Level previousLevel = logger.getLevel();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private AuditLog() {
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    static AuditLog capture() {
        return new AuditLog();
    }

    /** The lines written for one request: its fields plus {@code event}. */
    List<Map<String, Object>> forRequest(String requestId) {
        return records.stream().map(AuditLog::line).filter(line -> requestId.equals(line.get("requestId"))).toList();
    }

    /** Every captured record as the text a log line could carry: message, parameters and fields. */
    List<String> rendered() {
        return records.stream().map(record -> record.getMessage() + " " + line(record)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }

    private static Map<String, Object> line(LogRecord record) {
        Map<String, Object> line = new HashMap<>();
        if (record.getParameters() != null && record.getParameters().length == 1
                && record.getParameters()[0] instanceof Map<?, ?> fields) {
            fields.forEach((name, value) -> line.put(String.valueOf(name), value));
        }
        line.put("event", record.getMessage());
        return line;
    }
}
