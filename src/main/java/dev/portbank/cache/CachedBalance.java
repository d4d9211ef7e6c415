package dev.portbank.cache;

import dev.portbank.account.Balance;

import java.util.UUID;

/** The Redis value of a cached balance: {@code "<version> <balance> <currency> <owner>"} (the owner may hold spaces). */
final class CachedBalance {
    private CachedBalance() {
    }

    static String format(Balance balance) {
        return balance.version() + " " + balance.balance() + " " + balance.currency() + " " + balance.owner();
    }

    static Balance parse(UUID accountId, String value) {
        String[] parts = value.split(" ", 4);
        if (parts.length != 4) {
            throw new IllegalStateException("malformed cached balance for " + accountId);
        }
        return new Balance(accountId, parts[2], Long.parseLong(parts[1]), Long.parseLong(parts[0]), parts[3]);
    }
}
