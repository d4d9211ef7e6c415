package dev.portbank.account;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.UUID;

/**
 * An account's balance at a ledger version: the answer of the hot read path. {@code owner} lets the caller check
 * access without a second lookup.
 */
public record Balance(UUID accountId, String currency, long balance, @JsonIgnore long version,
                      @JsonIgnore String owner) {
}
