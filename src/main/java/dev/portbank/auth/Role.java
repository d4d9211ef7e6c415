package dev.portbank.auth;

import java.util.Locale;
import java.util.Optional;

/** What a principal may do, from the token's {@code roles} claim. */
public enum Role {
    /** Opens accounts, reads and moves money out of its own. */
    CUSTOMER,
    /** Also deposits and withdraws, and reads any account. */
    TELLER,
    /** Also closes any account and may move money out of any account. */
    ADMIN;

    public static Optional<Role> parse(String text) {
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
