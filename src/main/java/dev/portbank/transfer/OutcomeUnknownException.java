package dev.portbank.transfer;

/**
 * The commit of a group failed in flight: its movements may or may not have committed. Nothing is retried blindly;
 * each client's retry with its idempotency key finds out, and the cache is fenced meanwhile.
 */
public final class OutcomeUnknownException extends RuntimeException {
    public OutcomeUnknownException(Throwable cause) {
        super("the outcome of a commit is unknown: " + cause.getMessage(), cause);
    }
}
