package dev.portbank.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.testing.Api;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a field holds, a log record is exactly one line, in text and in JSON, and no field can pose as another. */
class LogLineTest {
    private static final String FORGED = "2026-12-01T00:00:00Z INFO  audit movement principal=admin outcome=completed";

    @ParameterizedTest
    @ValueSource(strings = {"/v1/x\nFAKE-AUDIT-LINE", "/v1/x\r\nFAKE", "/v1/x\rFAKE", "a\u0085b", "a\u2028b",
            "a\u2029b", "a\u000bb", "a\u000cb", "a\u001b[31mred", "a\u007fb", "a\u009bb", "evil\u202etxt.exe",
            "zero\u200bwidth", "a\u0000b"})
    void unsafeCharactersAreEscapedInText(String hostile) {
        String line = text(record("access", "request", "path", hostile + "\n" + FORGED, "status", 404));

        assertOneSafeLine(line);
        assertThat(line).contains(" status=404");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/x\nFAKE-AUDIT-LINE", "a\u0085b", "a\u2028b", "a\u2029b", "a\u001b[31mred",
            "a\u007fb", "evil\u202etxt.exe", "a\u0000b"})
    void unsafeCharactersAreEscapedInJsonAndReadBackUnchanged(String hostile) throws IOException {
        String line = json(record("access", "request", "path", hostile, "status", 404));

        assertOneSafeLine(line);
        JsonNode parsed = Api.JSON.readTree(line);
        assertThat(parsed.path("path").asText()).isEqualTo(hostile);
        assertThat(parsed.path("status").isNumber()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x outcome=completed", "x\" outcome=\"completed", "", "a=b", "back\\slash",
            "x\\\" outcome=completed", "tab\tx outcome=completed"})
    void aTextValueCannotPoseAsAnotherField(String hostile) {
        String line = text(record("audit", "movement", "target", hostile, "outcome", "refused"));

        Map<String, String> fields = fields(line.substring(line.indexOf(" movement ") + " movement ".length()).strip());
        assertThat(fields).containsOnlyKeys("target", "outcome").containsEntry("outcome", "refused")
                .containsEntry("target", LogText.escape(hostile));
    }

    /** Reads {@code key=value key="quoted \" value"} back, as a log processor would. */
    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            String key = text.substring(i, equals);
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            if (j < text.length() && text.charAt(j) == '"') {
                for (j++; text.charAt(j) != '"'; j++) {
                    if (text.charAt(j) == '\\' && (text.charAt(j + 1) == '"' || text.charAt(j + 1) == '\\')) {
                        j++;
                    }
                    value.append(text.charAt(j));
                }
                j++;
            } else {
                while (j < text.length() && text.charAt(j) != ' ') {
                    value.append(text.charAt(j++));
                }
            }
            fields.put(key, value.toString());
            i = j + 1;
        }
        return fields;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void theMessageAndTheErrorAreEscapedToo(String format) {
        LogRecord record = new LogRecord(Level.WARNING, "request failed: GET /v1/x\nFAKE");
        record.setLoggerName("dev.portbank.platform.ErrorHandlers");
        record.setThrown(new IllegalStateException("bad\nFAKE-LINE"));

        assertOneSafeLine(LogSetup.formatter(format, false).format(record));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void aDebugStackTraceNeverStartsALineOfItsOwn(String format) {
        LogRecord record = new LogRecord(Level.SEVERE, "request failed");
        record.setLoggerName("x");
        record.setThrown(new IllegalStateException("bad\n" + FORGED));

        String lines = LogSetup.formatter(format, true).format(record);

        assertThat(lines.lines().skip(1)).allSatisfy(line -> assertThat(line).startsWith("\t"));
    }

    private static void assertOneSafeLine(String line) {
        assertThat(line).endsWith(System.lineSeparator());
        String body = line.substring(0, line.length() - System.lineSeparator().length());
        assertThat(body.chars().noneMatch(c -> LogText.unsafe((char) c))).as("unsafe characters in %s", body).isTrue();
    }

    static LogRecord record(String logger, String event, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        LogRecord record = new LogRecord(Level.INFO, event);
        record.setLoggerName(logger);
        record.setParameters(new Object[] {fields});
        return record;
    }

    private static String text(LogRecord record) {
        return LogSetup.formatter("text", false).format(record);
    }

    private static String json(LogRecord record) {
        return LogSetup.formatter("json", false).format(record);
    }
}
