package dev.portbank.account;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.UUID;

/** A customer account as the API shows it; {@code owner} and {@code version} stay inside. */
public record Account(UUID id, String name, String currency, long balance, Status status, Instant createdAt,
                      @JsonIgnore String owner, @JsonIgnore long version, @JsonIgnore long position) {

    /** An account takes money only while it is open. */
    public enum Status { OPEN, CLOSED }

    /** A copy with the balance a fresher source (the cache) knows. */
    public Account withBalance(long newBalance, long newVersion) {
        return new Account(id, name, currency, newBalance, status, createdAt, owner, newVersion, position);
    }
}
