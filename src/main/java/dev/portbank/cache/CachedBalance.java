package dev.portbank.cache;

import dev.portbank.account.Balance;

import java.util.Optional;
import java.util.UUID;

/**
 * The Redis value of a cached balance: {@code "<rank> <balance> <currency> <owner>"} (the owner may hold spaces).
 * {@code rank} is {@code 2 * version + 1} for a trusted value and {@code 2 * version} for a provisional one, written
 * while an epoch was not yet stable: a trusted value outranks a provisional one of the same version, and readers
 * never serve a provisional one.
 */
record CachedBalance(Balance balance, boolean provisional) {

    static String format(Balance balance, boolean provisional) {
        return rank(balance.version(), provisional) + " " + balance.balance() + " " + balance.currency() + " "
                + balance.owner();
    }

    static long rank(long version, boolean provisional) {
        return Math.addExact(Math.multiplyExact(version, 2), provisional ? 0 : 1);
    }

    /** The value, or empty when it is not in this format (a bad write, an older format): never trusted then. */
    static Optional<CachedBalance> parse(UUID accountId, String value) {
        String[] parts = value.split(" ", 4);
        if (parts.length != 4 || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            long rank = Long.parseLong(parts[0]);
            if (rank < 0) {
                return Optional.empty();
            }
            return Optional.of(new CachedBalance(new Balance(accountId, parts[2], Long.parseLong(parts[1]), rank / 2,
                    parts[3]), rank % 2 == 0));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
