package dev.portbank.transfer;

import dev.portbank.account.Balance;

import java.util.List;

/**
 * Told of every committed movement's new balances before the client gets its answer (the balance cache listens).
 * It must never fail the movement: the money has already moved.
 */
@FunctionalInterface
public interface CommittedMovements {
    CommittedMovements NONE = balances -> { };

    void committed(List<Balance> balances);
}
