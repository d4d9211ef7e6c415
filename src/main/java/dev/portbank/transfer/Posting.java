package dev.portbank.transfer;

import java.util.UUID;

/**
 * One validated movement ready to post: who asks, under which idempotency key, and whether the principal must own
 * the debited account (customers) or may move money out of any account (admins).
 */
public record Posting(String principal, String key, MovementRequest movement, boolean debitMustBeOwn) {
    public Posting {
        if (principal == null || key == null || movement == null) {
            throw new IllegalArgumentException("a posting needs a principal, a key and a movement");
        }
    }

    /** The principal's key: idempotency keys are scoped to whoever sent them. */
    public KeyId keyId() {
        return new KeyId(principal, key);
    }

    /** An idempotency key in its principal's scope. */
    public record KeyId(String principal, String key) {
    }

    /** The customer account a deposit credits, a withdrawal debits, or a transfer debits. */
    UUID customerSide() {
        return movement.customerAccount();
    }
}
