package dev.portbank.loadgen;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** One closed-loop client: calls the scenario's operations back to back until the clock runs out. */
final class LoadClient implements Callable<Tally> {
    private final Transport.Connector connector;
    private final Scenario scenario;
    private final Workload workload;
    private final boolean batchesAvailable;
    private final RunClock clock;

    LoadClient(Transport.Connector connector, Scenario scenario, Workload workload, boolean batchesAvailable,
               RunClock clock) {
        this.connector = connector;
        this.scenario = scenario;
        this.workload = workload;
        this.batchesAvailable = batchesAvailable;
        this.clock = clock;
    }

    @Override
    public Tally call() {
        Tally tally = new Tally();
        RandomGenerator random = ThreadLocalRandom.current();
        try (Transport transport = connector.connect()) {
            BankClient client = new BankClient(transport);
            for (long start = System.nanoTime(); !clock.isOver(start); start = System.nanoTime()) {
                Operation operation = scenario.pick(random, batchesAvailable);
                CallStats stats = tally.of(operation.type());
                try {
                    Workload.Outcome outcome = workload.perform(operation, client, random);
                    stats.recordAnswer(outcome, clock.isMeasuring(start), (System.nanoTime() - start) / 1_000);
                } catch (IOException e) {
                    stats.recordNoAnswer();
                }
            }
        }
        return tally;
    }
}
