package dev.portbank;

import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Try it" block, pasted as a newcomer would into a shell whose default {@code java} may be older than
 * 21 (no JAVA_HOME): against a running instance, every step answers and the money adds up.
 */
class ReadmeTryItIT {
    private static TestDatabase database;
    private static TestServer server;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        server = TestServer.start(database);
    }

    @AfterAll
    static void stop() {
        server.close();
        database.close();
    }

    @Test
    void theTryItBlockRunsAsPastedAndMovesTheMoneyItSays() throws Exception {
        String script = tryItBlock()
                .replace("localhost:8080", "localhost:" + server.portBank().port())
                .replace("localhost:8081", "localhost:" + server.portBank().adminPort());

        // Into a file, not a pipe: the metrics alone can be more than a pipe holds while nobody reads it.
        Path log = Files.createTempFile("readme-try-it", ".log");
        ProcessBuilder shell = new ProcessBuilder("bash", "-eo", "pipefail", "-c", script)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        shell.environment().remove("JAVA_HOME"); // a newcomer's shell: whatever `java` is on the PATH
        // `token` asks the instance on PORT (8080 unless set) for tokens: here, the one this test started.
        shell.environment().put("PORT", Integer.toString(server.portBank().port()));
        Process process = shell.start();
        process.getOutputStream().close();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);

        assertThat(exited).as("the block finished in time; output so far:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
        assertThat(output).as("the transfer is created").contains("HTTP/1.1 201");
        assertThat(output).as("Alice's balance after paying 12.50 of 100.00").contains("\"balance\":8750");
        assertThat(output).as("readiness on the admin port").contains("UP");
        assertThat(output).as("the HTTP metrics").contains("portbank_http");
    }

    /** The first {@code sh} block under "### Try it", without the line that starts the server (it runs already). */
    private static String tryItBlock() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int heading = lines.indexOf("### Try it");
        assertThat(heading).as("the README has a \"### Try it\" section").isNotNegative();
        int open = lines.subList(heading, lines.size()).indexOf("```sh") + heading;
        int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
        assertThat(open).as("a sh block follows the heading").isGreaterThan(heading);
        StringBuilder block = new StringBuilder();
        for (String line : lines.subList(open + 1, close)) {
            if (!line.startsWith("make run")) {
                block.append(line).append('\n');
            }
        }
        assertThat(block.toString()).as("the block mints tokens with the launcher").contains("bin/portbank token");
        return block.toString();
    }
}
