package dev.portbank.money;

import java.util.Currency;
import java.util.regex.Pattern;

/** An ISO 4217 alphabetic code that {@link Currency} knows, such as {@code EUR}. */
public record CurrencyCode(String code) {
    private static final Pattern THREE_LETTERS = Pattern.compile("[A-Z]{3}");

    public CurrencyCode {
        if (code == null || !THREE_LETTERS.matcher(code).matches() || !isIso4217(code)) {
            throw new IllegalArgumentException("must be an ISO 4217 currency code such as EUR");
        }
    }

    public static boolean isValid(String code) {
        return code != null && THREE_LETTERS.matcher(code).matches() && isIso4217(code);
    }

    private static boolean isIso4217(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return code;
    }
}
