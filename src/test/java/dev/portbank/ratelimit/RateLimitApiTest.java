package dev.portbank.ratelimit;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Money-moving calls are limited per principal: one a second here, with a burst of two. */
class RateLimitApiTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank(Map.of("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "2"));

    @Test
    void thirdQuickMovementIsRefusedAndMovesNoMoney() {
        String from = funded("rita");
        String to = BANK.api().openAccount(customer("rudi"), "EUR");

        List<Api.Response> responses = IntStream.range(0, 3)
                .mapToObj(i -> BANK.api().move("/v1/transfers", customer("rita"), transfer(from, to))).toList();

        assertThat(responses).extracting(Api.Response::status).containsExactly(201, 201, 429);
        Api.Response limited = responses.get(2);
        assertThat(limited.problem()).isEqualTo("rate-limited");
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(BANK.api().balance(customer("rita"), from)).isEqualTo(98);
        assertThat(BANK.api().balance(customer("rudi"), to)).isEqualTo(2);
    }

    @Test
    void limitedMovementCanBeRetriedWithTheSameKeyAfterRetryAfter() throws InterruptedException {
        String from = funded("sara");
        String to = BANK.api().openAccount(customer("sven"), "EUR");
        BANK.api().move("/v1/transfers", customer("sara"), transfer(from, to));
        BANK.api().move("/v1/transfers", customer("sara"), transfer(from, to));
        Api.Response limited = BANK.api().move("/v1/transfers", customer("sara"), transfer(from, to), "sara-3");

        Thread.sleep(Long.parseLong(limited.header("Retry-After")) * 1_000);
        Api.Response retried = BANK.api().move("/v1/transfers", customer("sara"), transfer(from, to), "sara-3");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(BANK.api().balance(customer("sara"), from)).isEqualTo(97);
    }

    @Test
    void eachPrincipalHasItsOwnLimitAndReadsAreNotLimited() {
        String tina = funded("tina");
        String uwe = funded("uwe");
        String to = BANK.api().openAccount(customer("vera"), "EUR");
        List<Integer> tinaStatuses = IntStream.range(0, 3)
                .mapToObj(i -> BANK.api().move("/v1/transfers", customer("tina"), transfer(tina, to)).status()).toList();

        assertThat(tinaStatuses).last().isEqualTo(429);
        assertThat(BANK.api().move("/v1/transfers", customer("uwe"), transfer(uwe, to)).status()).isEqualTo(201);
        assertThat(BANK.api().get("/v1/accounts/" + tina + "/balance", customer("tina")).status()).isEqualTo(200);
    }

    /** A new EUR account of {@code owner} holding 100, deposited by a teller (who has a limit of its own). */
    private static String funded(String owner) {
        String account = BANK.api().openAccount(customer(owner), "EUR");
        BANK.api().deposit(teller("teller-of-" + owner), account, 100, "EUR");
        return account;
    }

    private static Map<String, Object> transfer(String from, String to) {
        return Map.of("from", from, "to", to, "amount", 1, "currency", "EUR");
    }
}
