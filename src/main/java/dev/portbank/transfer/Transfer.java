package dev.portbank.transfer;

import dev.portbank.ledger.MovementKind;

import java.time.Instant;
import java.util.UUID;

/**
 * A completed movement. For a deposit {@code from} is null (the money came from outside); for a withdrawal {@code to}
 * is null. Internally both sides are accounts: the other one is the currency's settlement account.
 */
public record Transfer(UUID id, MovementKind kind, UUID from, UUID to, long amount, String currency,
                       String reference, Instant createdAt) {
}
