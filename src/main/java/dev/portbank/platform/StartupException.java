package dev.portbank.platform;

/** A reason the process cannot start, phrased for the operator: one line that names the setting to change. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public StartupException(String message) {
        super(message);
    }
}
