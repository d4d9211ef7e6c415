package dev.portbank.loadgen;

import dev.portbank.loadgen.Transport.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Loads a running PortBank, its backing service given by {@code BANK_URL}: opens and funds accounts, drives a
 * scenario with concurrent clients, reports throughput and latency per call type, then checks through the API that no
 * money was created or lost. Settings come from the environment ({@link LoadConfig#usage()}); the report goes to
 * stdout, progress to stderr.
 */
public final class LoadGenerator {
    static final int EXIT_INVARIANT_FAILED = 1;
    static final int EXIT_CANNOT_RUN = 2;
    /** Clients that open and fund the accounts, and read them back at the end. */
    private static final int SETUP_WORKERS = 16;

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println(LoadConfig.usage());
            System.exit(args[0].equals("--help") ? 0 : EXIT_CANNOT_RUN);
        }
        try {
            LoadConfig config = LoadConfig.fromEnvironment(System.getenv());
            Report report = run(config, message -> System.err.println("loadgen: " + message));
            System.out.println(config.format() == LoadConfig.OutputFormat.JSON ? report.toJson() : report.toText());
            System.exit(report.passed() ? 0 : EXIT_INVARIANT_FAILED);
        } catch (LoadGenException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(EXIT_CANNOT_RUN);
        }
    }

    /** One run, start to end; {@code progress} hears what it is doing. */
    static Report run(LoadConfig config, Consumer<String> progress) {
        try (Transport.Connector connector = Transport.connector(config.transport(), config.bankUrl())) {
            List<String> notes = new ArrayList<>();
            boolean batchesAvailable = config.scenario().usesBatches() && batchEndpointExists(connector, config, notes);
            notes.forEach(progress);
            if (config.scenario() == Scenario.BATCH && !batchesAvailable) {
                return Report.skipped(config, notes);
            }

            ExpectedTotal expected = new ExpectedTotal();
            Fleet fleet = openFleet(config, connector, expected, progress);
            Workload workload = new Workload(fleet, config.tokens().teller(), config.batchSize(), expected);
            progress.accept(config.scenario().label() + " with " + config.clients() + " clients: warming up for "
                    + config.warmup().toSeconds() + " s, then measuring for " + config.duration().toSeconds() + " s");
            Tally tally = drive(config, connector, workload, batchesAvailable);

            progress.accept("checking the invariants");
            return Report.of(config, tally, invariants(config, connector, fleet, expected, tally), notes);
        }
    }

    private static Fleet openFleet(LoadConfig config, Transport.Connector connector, ExpectedTotal expected,
                                   Consumer<String> progress) {
        if (!config.scenario().needsAccounts()) {
            return new Fleet(List.of());
        }
        progress.accept("opening and funding " + config.accounts() + " accounts at " + config.bankUrl());
        String runId = "loadgen-" + UUID.randomUUID().toString().substring(0, 8);
        return Fleet.open(connector, config.tokens(), runId, config.accounts(), SETUP_WORKERS, expected);
    }

    private static List<Invariants.Check> invariants(LoadConfig config, Transport.Connector connector, Fleet fleet,
                                                     ExpectedTotal expected, Tally tally) {
        List<Invariants.Check> checks = new ArrayList<>();
        if (config.scenario().needsAccounts()) {
            checks.addAll(Invariants.money(fleet.balances(connector, SETUP_WORKERS), expected.totals()));
        }
        checks.addAll(Invariants.service(tally.serverErrors(), tally.unanswered()));
        return checks;
    }

    private static Tally drive(LoadConfig config, Transport.Connector connector, Workload workload,
                               boolean batchesAvailable) {
        RunClock clock = RunClock.startingNow(config.warmup(), config.duration());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Tally>> running = IntStream.range(0, config.clients())
                    .mapToObj(i -> clients.submit(new LoadClient(connector, config.scenario(),
                            workload.forClient(i, config.clients()), batchesAvailable, clock,
                            config.callIntervalNanos())))
                    .toList();
            Tally total = new Tally();
            for (Future<Tally> client : running) {
                total.merge(resultOf(client));
            }
            return total;
        }
    }

    /**
     * Whether the server serves {@code POST /v1/transfers/batch}. An empty batch moves no money: a server with the
     * endpoint refuses it as invalid; one without answers 404 (or 405, where the path reads as a transfer id).
     */
    private static boolean batchEndpointExists(Transport.Connector connector, LoadConfig config, List<String> notes) {
        try (Transport transport = connector.connect()) {
            Response probe = new BankClient(transport).batch(config.tokens().customer("loadgen-probe"), List.of());
            if (probe.status() == 404 || probe.status() == 405) {
                notes.add("POST /v1/transfers/batch answered " + probe.status() + ": this PortBank has no batch "
                        + "endpoint, so the run has no batches");
                return false;
            }
            return true;
        } catch (IOException e) {
            throw new LoadGenException("PortBank does not answer at " + config.bankUrl() + ": " + e, e);
        }
    }

    private static Tally resultOf(Future<Tally> client) {
        try {
            return client.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadGenException("interrupted", e);
        } catch (ExecutionException e) {
            throw new LoadGenException("a client failed: " + e.getCause(), e.getCause());
        }
    }
}
