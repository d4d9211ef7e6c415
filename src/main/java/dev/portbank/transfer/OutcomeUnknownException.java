package dev.portbank.transfer;

import dev.portbank.platform.DatabaseUnavailableException;

/**
 * The commit of a group failed in flight: its movements may or may not have committed. Nothing is retried blindly;
 * each client is answered 503 and its retry with its idempotency key finds out, and the cache is fenced meanwhile.
 */
public final class OutcomeUnknownException extends DatabaseUnavailableException {
    public OutcomeUnknownException(Throwable cause) {
        super("the outcome of a commit is unknown: " + cause.getMessage(), cause);
    }
}
