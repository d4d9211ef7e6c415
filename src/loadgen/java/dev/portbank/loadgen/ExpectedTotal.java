package dev.portbank.loadgen;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the generator's accounts must hold together: every deposit PortBank confirmed, minus every confirmed
 * withdrawal. Transfers between them change nothing.
 */
final class ExpectedTotal {
    private final LongAdder deposited = new LongAdder();
    private final LongAdder withdrawn = new LongAdder();

    void deposited(long amount) {
        deposited.add(amount);
    }

    void withdrawn(long amount) {
        withdrawn.add(amount);
    }

    Totals totals() {
        return new Totals(deposited.sum(), withdrawn.sum());
    }

    record Totals(long deposited, long withdrawn) {
        long expected() {
            return deposited - withdrawn;
        }
    }
}
