package dev.portbank.platform;

/**
 * PostgreSQL could not give an answer (unreachable, restarting, dropped the connection, or too slow): the request is
 * answered 503 {@code database-unavailable} with {@code Retry-After}, and a retry with the same idempotency key is
 * safe. Subclasses say more about why.
 */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
