package dev.portbank.loadgen;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * One client: calls the scenario's operations until the clock runs out, either back to back (closed loop) or each at
 * its due time, one interval after the last was due. A paced call's latency counts from when it was due, not from
 * when it was sent, so a server that falls behind shows it in the latency (rather than the client waiting with it).
 */
final class LoadClient implements Callable<Tally> {
    private final Transport.Connector connector;
    private final Scenario scenario;
    private final Workload workload;
    private final boolean batchesAvailable;
    private final RunClock clock;
    private final long intervalNanos;

    /** @param intervalNanos the time between the starts of two calls; 0 for a closed loop */
    LoadClient(Transport.Connector connector, Scenario scenario, Workload workload, boolean batchesAvailable,
               RunClock clock, long intervalNanos) {
        this.intervalNanos = intervalNanos;
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
            // Paced clients start at random points of their first interval, so their calls do not arrive together.
            long due = System.nanoTime() + (intervalNanos == 0 ? 0 : random.nextLong(intervalNanos));
            for (long start = waitUntil(due); !clock.isOver(start); start = waitUntil(due)) {
                due = start + intervalNanos;
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

    /** Waits for a paced call's due time and returns it; a closed loop's call is due now. */
    private long waitUntil(long due) {
        if (intervalNanos == 0) {
            return System.nanoTime();
        }
        for (long now = System.nanoTime(); now - due < 0; now = System.nanoTime()) {
            LockSupport.parkNanos(due - now);
        }
        return due;
    }
}
