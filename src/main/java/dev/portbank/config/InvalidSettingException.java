package dev.portbank.config;

/** A setting that cannot be used; the message names the setting to change and never contains a secret. */
public final class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
