package dev.portbank.platform;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portbank.testing.TestServer.customer;
import static org.assertj.core.api.Assertions.assertThat;

/** What an unauthenticated client can do to the logs and the metrics: neither forge lines nor grow them unboundedly. */
class ObservabilityAbuseTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();
    private static final Pattern METHOD_LABEL = Pattern.compile("portbank_http_requests_seconds_count\\{[^}]*"
            + "method=\"([^\"]*)\"");
    private static final Pattern ROUTE_LABEL = Pattern.compile("portbank_http_requests_seconds_count\\{[^}]*"
            + "route=\"([^\"]*)\"");

    @Test
    void madeUpMethodsAreRefused501AndShareOneLabel() {
        String before = metrics();

        for (int i = 0; i < 300; i++) {
            String answer = raw("M%03dX / HTTP/1.1".formatted(i));
            assertThat(answer).startsWith("HTTP/1.1 501").contains("application/problem+json");
        }

        String after = metrics();
        assertThat(labels(METHOD_LABEL, after)).isSubsetOf(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
                "OPTIONS", "TRACE", "CONNECT", "OTHER"));
        assertThat(after.length() - before.length()).as("bytes the metrics grew by").isLessThan(64 * 1024);
    }

    @Test
    void unknownPathsShareOneRouteLabel() {
        String before = metrics();

        for (int i = 0; i < 300; i++) {
            BANK.api().get("/v1/nothing-" + i, i % 2 == 0 ? null : customer("c"));
            BANK.api().get("/elsewhere-" + i, null);
        }

        String after = metrics();
        assertThat(labels(ROUTE_LABEL, after)).noneMatch(route -> route.contains("nothing-")
                || route.contains("elsewhere-"));
        assertThat(after.length() - before.length()).as("bytes the metrics grew by").isLessThan(64 * 1024);
    }

    @Test
    void anEncodedLineBreakInThePathCannotForgeALogLine() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            private final java.util.logging.Formatter text = LogSetup.formatter("text", false);

            @Override
            public void publish(LogRecord record) {
                lines.add(text.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        List<Logger> loggers = List.of(Logger.getLogger("access"), Logger.getLogger("audit"));
        Map<Logger, Level> levels = new java.util.HashMap<>();
        loggers.forEach(logger -> {
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.ALL);
            logger.addHandler(handler);
        });
        try {
            String requestId = UUID.randomUUID().toString();
            Api.Response response = BANK.api().send("GET", "/v1/x%0AFAKE-AUDIT-LINE%0D%0Aprincipal=admin", null,
                    null, Map.of("X-Request-Id", requestId));

            assertThat(response.status()).isEqualTo(401);
            List<String> mine = lines.stream().filter(line -> line.contains(requestId)).toList();
            assertThat(mine).hasSize(2).allSatisfy(line -> {
                assertThat(line.lines()).hasSize(1);
                assertThat(line).contains("\\nFAKE-AUDIT-LINE\\r\\nprincipal=admin");
            });
        } finally {
            loggers.forEach(logger -> {
                logger.removeHandler(handler);
                logger.setLevel(levels.get(logger));
            });
        }
    }

    private static Set<String> labels(Pattern label, String metrics) {
        Set<String> values = new java.util.TreeSet<>();
        Matcher matcher = label.matcher(metrics);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    private static String metrics() {
        return BANK.server().admin().get("/observe/metrics", null).raw();
    }

    /** One request written by hand, as a client that is not a well-behaved HTTP library sends it. */
    private static String raw(String requestLine) {
        try (Socket socket = new Socket("127.0.0.1", BANK.server().portBank().port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Read the head, then as many bytes as Content-Length says: the answer, whenever the server closes.
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            while (!answer.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                answer.write(next);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer.toString(
                    StandardCharsets.US_ASCII));
            if (length.find()) {
                answer.write(in.readNBytes(Integer.parseInt(length.group(1))));
            }
            return answer.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
