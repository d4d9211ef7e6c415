package dev.portbank.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two money rules of a request: an ISO 4217 currency code, and an amount of 1 to 10^15 minor units. */
class RequestValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"EUR", "USD", "JPY", "CHF", "GBP"})
    void acceptsIsoCurrencyCodes(String code) {
        RequestValidator validator = validator(object().put("currency", code));

        assertThat(validator.currency("currency")).isEqualTo(code);
        assertThat(validator.valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eur", "EU", "EURO", "XYZ", "", "€", "E1R", " EUR"})
    void rejectsAnyOtherCurrency(String code) {
        RequestValidator validator = validator(object().put("currency", code));

        assertThat(validator.currency("currency")).isNull();
        assertThat(errors(validator)).containsExactly(new Problem.FieldError("currency",
                RequestValidator.NOT_A_CURRENCY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1250", "1000000000000000"})
    void acceptsAmountsFromOneToTenToTheFifteen(String amount) {
        RequestValidator validator = validator(object().put("amount", new BigInteger(amount)));

        assertThat(validator.amount("amount")).isEqualTo(Long.parseLong(amount));
        assertThat(validator.valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1000000000000001", "9223372036854775808", "1.0", "1e3", "\"12\"", "true"})
    void rejectsAnyOtherAmount(String amount) throws Exception {
        RequestValidator validator = validator(JSON.readTree("{\"amount\":" + amount + "}"));

        assertThat(validator.amount("amount")).isZero();
        assertThat(errors(validator)).containsExactly(new Problem.FieldError("amount",
                RequestValidator.NOT_AN_AMOUNT));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static RequestValidator validator(JsonNode body) {
        return new RequestValidator(body);
    }

    private static List<Object> errors(RequestValidator validator) {
        try {
            validator.throwIfInvalid();
            return List.of();
        } catch (ApiException e) {
            return List.copyOf(e.problem().errors());
        }
    }
}
