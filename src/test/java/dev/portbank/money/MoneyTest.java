package dev.portbank.money;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"1250,750,2000", "0,1,1", "-5,5,0"})
    void plusAddsMinorUnits(long a, long b, long sum) {
        assertThat(Money.of(a, "EUR").plus(Money.of(b, "EUR"))).isEqualTo(Money.of(sum, "EUR"));
    }

    @ParameterizedTest
    @CsvSource({"1250,750,500", "1,1,0", "0,1,-1"})
    void minusSubtractsMinorUnits(long a, long b, long difference) {
        assertThat(Money.of(a, "EUR").minus(Money.of(b, "EUR"))).isEqualTo(Money.of(difference, "EUR"));
    }

    @Test
    void negateAndSign() {
        assertThat(Money.of(5, "USD").negate()).isEqualTo(Money.of(-5, "USD"));
        assertThat(Money.of(-1, "USD").isNegative()).isTrue();
        assertThat(Money.of(0, "USD").isNegative()).isFalse();
    }

    @Test
    void refusesToMixCurrencies() {
        assertThatThrownBy(() -> Money.of(1, "EUR").plus(Money.of(1, "USD")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EUR").hasMessageContaining("USD");
        assertThatThrownBy(() -> Money.of(1, "EUR").minus(Money.of(1, "GBP")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "EUR").plus(Money.of(1, "EUR")))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "EUR").negate()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "EUR").minus(Money.of(1, "EUR")))
                .isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest
    @CsvSource({"0,false", "1,true", "1000000000000000,true", "1000000000000001,false", "-1,false"})
    void movableAmountsAreOneToTenToTheFifteen(long amount, boolean movable) {
        assertThat(Money.of(amount, "JPY").isMovable()).isEqualTo(movable);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EUR", "USD", "JPY", "CHF", "GBP"})
    void acceptsIsoCodes(String code) {
        assertThat(CurrencyCode.isValid(code)).isTrue();
        assertThat(new CurrencyCode(code).code()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eur", "EU", "EURO", "XYZ", "", "€", "E1R", " EUR"})
    void rejectsAnythingElse(String code) {
        assertThat(CurrencyCode.isValid(code)).isFalse();
        assertThatThrownBy(() -> new CurrencyCode(code)).isInstanceOf(IllegalArgumentException.class);
    }
}
