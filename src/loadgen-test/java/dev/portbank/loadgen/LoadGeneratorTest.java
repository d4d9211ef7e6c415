package dev.portbank.loadgen;

import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The load generator against a real PortBank: a short run of each kind, its report, and its invariant checks. */
class LoadGeneratorTest {
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
    void transfersReportThroughputOrderedPercentilesAndHeldInvariants() {
        Report report = LoadGenerator.run(config(Scenario.TRANSFERS, Transport.Kind.SOCKET), message -> { });

        Report.CallSummary transfers = report.calls().get("transfer");
        assertThat(transfers.calls()).isPositive();
        assertThat(transfers.callsPerSecond()).isPositive();
        assertThat(transfers.completed()).isEqualTo(transfers.calls());
        assertThat(transfers.statuses()).containsOnlyKeys("201");
        assertPercentilesOrdered(transfers.latencyMs());
        assertThat(report.invariants()).extracting(Invariants.Check::name).containsExactly(
                "money conserved", "no negative balance", "no server error", "every call answered");
        assertThat(report.invariants()).allMatch(Invariants.Check::passed, "passed");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void mixedRunsEveryCallTypeOverTheJdkClientAndKeepsTheMoneyRight() {
        // Long enough that the rarest call type (5% each) is all but certain to run on a busy machine too.
        Report report = LoadGenerator.run(config(Scenario.MIXED, Transport.Kind.JDK, Duration.ofSeconds(6)),
                message -> { });

        assertThat(report.calls()).containsKeys("transfer", "balance", "deposit", "withdrawal");
        report.calls().values().forEach(call -> assertPercentilesOrdered(call.latencyMs()));
        assertThat(report.invariants()).allMatch(Invariants.Check::passed, "passed");
        assertThat(report.toJson()).contains("\"passed\" : true");
    }

    @Test
    void batchesRunOrAreSkippedWithAReasonWhenTheServerHasNoBatchEndpoint() {
        Report report = LoadGenerator.run(config(Scenario.BATCH, Transport.Kind.SOCKET), message -> { });

        if (report.calls().containsKey("batch")) {
            Report.CallSummary batches = report.calls().get("batch");
            assertThat(batches.completed()).isEqualTo(batches.calls() * 5);
            assertThat(report.passed()).isTrue();
        } else {
            assertThat(report.notes()).singleElement().asString().contains("no batch endpoint");
            assertThat(report.toText()).contains("no batch endpoint");
        }
    }

    @Test
    void plainReadsNeedNoAccounts() {
        Report report = LoadGenerator.run(config(Scenario.PLAIN, Transport.Kind.SOCKET), message -> { });

        assertThat(report.accounts()).isZero();
        assertThat(report.calls().get("plain").completedPerSecond()).isPositive();
        assertThat(report.invariants()).extracting(Invariants.Check::name)
                .containsExactly("no server error", "every call answered");
    }

    @Test
    void aWrongExpectedTotalFailsTheMoneyCheckAndTheReport() {
        List<Invariants.Check> checks = Invariants.money(List.of(700L, 300L), new ExpectedTotal.Totals(1_001, 0));
        Report report = Report.of(config(Scenario.TRANSFERS, Transport.Kind.SOCKET), new Tally(), checks, List.of());

        assertThat(checks.getFirst().passed()).isFalse();
        assertThat(checks.getFirst().detail()).contains("1000 != deposited 1001");
        assertThat(report.passed()).isFalse();
        assertThat(report.toText()).contains("FAIL money conserved").endsWith("result: FAIL");
    }

    @Test
    void aNegativeBalanceAServerErrorOrAMissingAnswerFailsItsCheck() {
        assertThat(Invariants.money(List.of(-1L, 1L), new ExpectedTotal.Totals(0, 0)))
                .extracting(Invariants.Check::passed).containsExactly(true, false);
        assertThat(Invariants.service(1, 0)).extracting(Invariants.Check::passed).containsExactly(false, true);
        assertThat(Invariants.service(0, 1)).extracting(Invariants.Check::passed).containsExactly(true, false);
    }

    @Test
    void aPacedLoadCallsAtItsRateAndSaysSo() {
        int rate = 50;
        LoadConfig closed = config(Scenario.BALANCE_READS, Transport.Kind.SOCKET, Duration.ofSeconds(4));
        LoadConfig paced = new LoadConfig(closed.bankUrl(), closed.tokens(), closed.scenario(), closed.clients(),
                closed.duration(), closed.warmup(), closed.accounts(), closed.batchSize(), closed.format(),
                closed.transport(), rate);

        Report report = LoadGenerator.run(paced, message -> { });

        // An unpaced loop of four clients reads hundreds of balances a second here; paced, it reads fifty.
        assertThat(report.calls().get("balance").callsPerSecond()).isCloseTo(rate, within(rate * 0.2));
        assertThat(report.ratePerSecond()).isEqualTo(rate);
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

    private static void assertPercentilesOrdered(Report.Latency latency) {
        assertThat(latency.p50()).isPositive();
        assertThat(latency.p50()).isLessThanOrEqualTo(latency.p90());
        assertThat(latency.p90()).isLessThanOrEqualTo(latency.p99());
        assertThat(latency.p99()).isLessThanOrEqualTo(latency.max());
    }

    private static LoadConfig config(Scenario scenario, Transport.Kind transport) {
        return config(scenario, transport, Duration.ofSeconds(2));
    }

    private static LoadConfig config(Scenario scenario, Transport.Kind transport, Duration duration) {
        URI bankUrl = URI.create("http://127.0.0.1:" + server.portBank().port());
        return new LoadConfig(bankUrl, new TokenSource.Development(bankUrl), scenario, 4, duration,
                Duration.ofMillis(500), 20, 5, LoadConfig.OutputFormat.TEXT, transport);
    }
}
