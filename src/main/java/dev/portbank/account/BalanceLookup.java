package dev.portbank.account;

import java.util.Optional;
import java.util.UUID;

/** Where the hot balance read comes from: PostgreSQL, or the Redis cache in front of it. */
@FunctionalInterface
public interface BalanceLookup {
    Optional<Balance> balance(UUID accountId);
}
