package dev.portbank.loadgen;

/** The run cannot go on: a setting is wrong or PortBank refused the set-up. The message says what to do. */
final class LoadGenException extends RuntimeException {
    LoadGenException(String message) {
        super(message);
    }

    LoadGenException(String message, Throwable cause) {
        super(message, cause);
    }
}
