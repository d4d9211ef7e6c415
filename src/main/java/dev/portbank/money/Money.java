package dev.portbank.money;

/**
 * An amount of integer minor units in one currency ({@code 1250 EUR} is 12.50 EUR). Arithmetic refuses to mix
 * currencies and to overflow; nothing ever rounds.
 */
public record Money(long minorUnits, CurrencyCode currency) {
    /** The largest amount one movement may carry: 10^15 minor units. */
    public static final long MAX_MOVEMENT = 1_000_000_000_000_000L;

    public Money {
        if (currency == null) {
            throw new IllegalArgumentException("currency is required");
        }
    }

    public static Money of(long minorUnits, String currency) {
        return new Money(minorUnits, new CurrencyCode(currency));
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minorUnits), currency);
    }

    public boolean isNegative() {
        return minorUnits < 0;
    }

    /** Whether this is a valid amount for one movement: 1 to 10^15 minor units. */
    public boolean isMovable() {
        return minorUnits >= 1 && minorUnits <= MAX_MOVEMENT;
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + currency + " with " + other.currency);
        }
    }

    @Override
    public String toString() {
        return minorUnits + " " + currency;
    }
}
