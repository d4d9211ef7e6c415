package dev.portbank.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.portbank.testing.TestServer.customer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console end to end in Debian's headless Chromium, driven by playwright-core ({@code src/test/browser}): sign in
 * as, open accounts, a teller's deposit, transfers, a double click, a lost answer retried, insufficient funds, the
 * history pages, a screenshot in {@code target/browser/console.png}, and sign-in with an OpenID provider (the script
 * plays the provider on {@link #ISSUER}). Then the ledger is checked through the API.
 * A browser that cannot be installed or started fails this test; it never skips.
 */
class ConsoleBrowserIT {
    private static final String ISSUER = "http://127.0.0.1:" + freePort() + "/realms/bank";
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank(Map.of("AUTH_OIDC_ISSUER", ISSUER,
            "AUTH_OIDC_CLIENT_ID", "portbank-console"));
    private static final Path OUT = Path.of("target", "browser");

    @BeforeAll
    static void installBrowser() throws Exception {
        Files.createDirectories(OUT);
        Outcome setup = run(List.of("bash", "scripts/browser-setup.sh"), Map.of(), Duration.ofMinutes(10),
                OUT.resolve("setup.log"));
        assertThat(setup.exitCode()).as("scripts/browser-setup.sh failed:%n%s", setup.output()).isZero();
    }

    @Test
    void moneyMovesThroughTheConsoleOnceAndShowsEverywhere() throws Exception {
        Path result = OUT.resolve("result.json");
        Files.deleteIfExists(result);

        Outcome test = run(List.of("node", "src/test/browser/console.test.mjs"), Map.of(
                "PORTBANK_URL", "http://127.0.0.1:" + BANK.server().portBank().port() + "/",
                "OUT_DIR", OUT.toString(), "RESULT_FILE", result.toString(), "OIDC_ISSUER", ISSUER),
                Duration.ofMinutes(4),
                OUT.resolve("console-test.log"));

        assertThat(test.exitCode()).as("the browser test failed:%n%s", test.output()).isZero();
        assertThat(Files.readAllBytes(OUT.resolve("console.png"))).startsWith(0x89, 'P', 'N', 'G');
        JsonNode accounts = Api.JSON.readTree(result.toFile());
        String owner = customer(accounts.path("owner").asText());
        String savings = accounts.path("savings").asText();
        String checking = accounts.path("checking").asText();
        // 100.00 deposited; 12.50, 5.00 (double-clicked), 2.50 (retried) and 8 x 1.00 paid; 1000.00 refused.
        assertThat(BANK.api().balance(owner, savings)).isEqualTo(7_200);
        assertThat(BANK.api().balance(owner, checking)).isEqualTo(2_800);
        assertThat(BANK.api().get("/v1/accounts/" + checking + "/transactions", owner).json().path("items"))
                .hasSize(11);
    }

    private record Outcome(int exitCode, String output) {
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Outcome run(List<String> command, Map<String, String> env, Duration timeout, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.print(output);
        return new Outcome(finished ? process.exitValue() : -1, finished ? output
                : output + "\n(timed out after " + timeout + ")");
    }
}
