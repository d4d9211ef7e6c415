package dev.portbank.transfer;

import dev.portbank.account.Balance;

import java.util.List;

/**
 * Told of every committed group's new balances before any client gets its answer (the balance cache listens).
 * {@link #begin()} is called before the group is posted, so a listener can note where it will write from the state
 * before the commit. It must never fail the movement: the money has already moved.
 */
@FunctionalInterface
public interface CommittedMovements {
    CommittedMovements NONE = () -> balances -> { };

    /** Called before posting; the returned writer gets the committed balances. */
    BalanceWriter begin();

    /** Receives one group's (or batch's) committed balances; closed whether or not anything was committed. */
    @FunctionalInterface
    interface BalanceWriter extends AutoCloseable {
        void committed(List<Balance> balances);

        /** The commit failed in flight: the balances may have changed, and nothing cached about them can be trusted. */
        default void unknown() {
        }

        @Override
        default void close() {
        }
    }
}
