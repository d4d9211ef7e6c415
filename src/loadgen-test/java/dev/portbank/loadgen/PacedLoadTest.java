package dev.portbank.loadgen;

import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** LOADGEN_RATE: a paced load calls at the rate asked for, however fast the server answers. */
class PacedLoadTest {
    private static final int RATE = 50;
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
    void aPacedLoadCallsAtItsRateAndSaysSo() {
        URI bankUrl = URI.create("http://127.0.0.1:" + server.portBank().port());
        LoadConfig config = new LoadConfig(bankUrl, new TokenSource.Development(bankUrl), Scenario.BALANCE_READS, 4, Duration.ofSeconds(4),
                Duration.ofMillis(500), 20, 5, LoadConfig.OutputFormat.TEXT, Transport.Kind.SOCKET, RATE);

        Report report = LoadGenerator.run(config, message -> { });

        // An unpaced loop of four clients reads hundreds of balances a second here; paced, it reads fifty.
        assertThat(report.calls().get("balance").callsPerSecond()).isCloseTo(RATE, within(RATE * 0.2));
        assertThat(report.ratePerSecond()).isEqualTo(RATE);
        assertThat(report.toText()).contains("4 clients paced at 50 calls/s");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void theRateIsReadFromTheEnvironmentAndSpreadOverTheClients() {
        LoadConfig config = LoadConfig.fromEnvironment(Map.of("BANK_URL", "http://127.0.0.1:1",
                "BANK_TOKEN_MODE", "dev", "LOADGEN_CLIENTS", "8", "LOADGEN_RATE", "400"));

        assertThat(config.ratePerSecond()).isEqualTo(400);
        assertThat(config.callIntervalNanos()).isEqualTo(20_000_000L);
        assertThat(LoadConfig.fromEnvironment(Map.of("BANK_URL", "http://127.0.0.1:1", "BANK_TOKEN_MODE", "dev"))
                .callIntervalNanos()).isZero();
    }
}
