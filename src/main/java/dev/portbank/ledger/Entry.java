package dev.portbank.ledger;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of an account's history: signed {@code amount} (+ credit, - debit) and the balance right after it.
 * {@code counterparty} is the other account of a transfer, null for deposits and withdrawals.
 */
public record Entry(UUID transferId, MovementKind kind, long amount, long balanceAfter, UUID counterparty,
                    String reference, Instant createdAt, @JsonIgnore long position) {
}
