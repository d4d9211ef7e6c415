package dev.portbank.auth;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.UUID;

import static dev.portbank.testing.TestServer.admin;
import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what: customers see and debit only their own accounts (anyone else's is indistinguishable from an unknown
 * one), tellers deposit, withdraw and read everything, admins also close anyone's account.
 */
class AuthorizationApiTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @ParameterizedTest
    @ValueSource(strings = {"", "/balance", "/transactions"})
    void anotherCustomersAccountLooksExactlyLikeAnUnknownOne(String view) {
        String account = BANK.api().openAccount(customer("ann"), "EUR");
        String unknown = UUID.randomUUID().toString();

        Api.Response others = BANK.api().get("/v1/accounts/" + account + view, customer("bert"));
        Api.Response missing = BANK.api().get("/v1/accounts/" + unknown + view, customer("bert"));

        assertThat(others.status()).isEqualTo(404);
        assertThat(others.problem()).isEqualTo("not-found");
        assertThat(others.raw().replace(account, unknown)).isEqualTo(missing.raw());
    }

    @Test
    void customerListsOnlyItsOwnAccounts() {
        String own = BANK.api().openAccount(customer("carla"), "EUR");
        String others = BANK.api().openAccount(customer("dirk"), "EUR");

        var listed = BANK.api().get("/v1/accounts?limit=200", customer("carla")).json().path("items").findValuesAsText("id");

        assertThat(listed).contains(own).doesNotContain(others);
    }

    @Test
    void customerCannotMoveMoneyOutOfAnotherCustomersAccount() {
        String victim = funded("edna", 500);
        String thief = BANK.api().openAccount(customer("fritz"), "EUR");

        Api.Response response = BANK.api().move("/v1/transfers", customer("fritz"), transfer(victim, thief, 100));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.problem()).isEqualTo("account-not-found");
        assertThat(BANK.api().balance(customer("edna"), victim)).isEqualTo(500);
        assertThat(BANK.api().balance(customer("fritz"), thief)).isZero();
    }

    @Test
    void customerPaysIntoAnyOpenAccount() {
        String from = funded("gerd", 300);
        String to = BANK.api().openAccount(customer("hanna"), "EUR");

        assertThat(BANK.api().move("/v1/transfers", customer("gerd"), transfer(from, to, 300)).status()).isEqualTo(201);
        assertThat(BANK.api().balance(customer("hanna"), to)).isEqualTo(300);
    }

    @Test
    void idempotencyKeyOfAnotherCustomerReplaysNothing() {
        String from = funded("ida", 500);
        String to = BANK.api().openAccount(customer("jan"), "EUR");
        Map<String, Object> body = transfer(from, to, 200);
        Api.Response original = BANK.api().move("/v1/transfers", customer("ida"), body, "ida-rent-march");

        Api.Response replayAttempt = BANK.api().move("/v1/transfers", customer("jan"), body, "ida-rent-march");

        assertThat(original.status()).isEqualTo(201);
        assertThat(replayAttempt.status()).isEqualTo(404);
        assertThat(replayAttempt.problem()).isEqualTo("account-not-found");
        assertThat(replayAttempt.header("Idempotent-Replayed")).isNull();
        assertThat(replayAttempt.raw()).doesNotContain(original.text("id"));
        assertThat(BANK.api().balance(customer("ida"), from)).isEqualTo(300);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/deposits", "/v1/withdrawals"})
    void customerCannotDepositOrWithdraw(String path) {
        String account = funded("kai", 100);

        Api.Response response = BANK.api().move(path, customer("kai"), Map.of("account", account, "amount", 50,
                "currency", "EUR"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.problem()).isEqualTo("forbidden");
        assertThat(BANK.api().balance(customer("kai"), account)).isEqualTo(100);
    }

    @Test
    void tellerDepositsIntoAnyAccount() {
        String account = BANK.api().openAccount(customer("lia"), "EUR");

        Api.Response response = BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", account, "amount", 70,
                "currency", "EUR"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(BANK.api().balance(customer("lia"), account)).isEqualTo(70);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/balance", "/transactions"})
    void tellerAndAdminReadAnyAccount(String view) {
        String account = BANK.api().openAccount(customer("mo"), "EUR");

        assertThat(BANK.api().get("/v1/accounts/" + account + view, teller("tom")).status()).isEqualTo(200);
        assertThat(BANK.api().get("/v1/accounts/" + account + view, admin("ada")).status()).isEqualTo(200);
    }

    @Test
    void tellerListsEveryonesAccounts() {
        String account = BANK.api().openAccount(customer("nils"), "EUR");

        var listed = BANK.api().get("/v1/accounts?limit=200", teller("tom")).json().path("items").findValuesAsText("id");

        assertThat(listed).contains(account);
    }

    @Test
    void onlyAnAdminMovesMoneyOutOfSomeoneElsesAccount() {
        String account = funded("olga", 100);
        String sink = BANK.api().openAccount(customer("paul"), "EUR");

        Api.Response byTeller = BANK.api().move("/v1/transfers", teller("tom"), transfer(account, sink, 10));
        Api.Response byAdmin = BANK.api().move("/v1/transfers", admin("ada"), transfer(account, sink, 10));

        assertThat(byTeller.status()).isEqualTo(404);
        assertThat(byTeller.problem()).isEqualTo("account-not-found");
        assertThat(byAdmin.status()).isEqualTo(201);
        assertThat(BANK.api().balance(customer("olga"), account)).isEqualTo(90);
    }

    @Test
    void closingSomeoneElsesAccountNeedsAnAdmin() {
        String account = BANK.api().openAccount(customer("quinn"), "EUR");
        String close = "/v1/accounts/" + account + "/close";

        Api.Response byCustomer = BANK.api().post(close, customer("rosa"), "");
        Api.Response byTeller = BANK.api().post(close, teller("tom"), "");
        Api.Response byAdmin = BANK.api().post(close, admin("ada"), "");

        assertThat(byCustomer.status()).isEqualTo(404);
        assertThat(byCustomer.problem()).isEqualTo("not-found");
        assertThat(byTeller.status()).isEqualTo(403);
        assertThat(byTeller.problem()).isEqualTo("forbidden");
        assertThat(byAdmin.status()).isEqualTo(200);
        assertThat(byAdmin.text("status")).isEqualTo("CLOSED");
    }

    /** A new EUR account of {@code owner} holding {@code amount}. */
    private static String funded(String owner, long amount) {
        String account = BANK.api().openAccount(customer(owner), "EUR");
        BANK.api().deposit(teller("tom"), account, amount, "EUR");
        return account;
    }

    private static Map<String, Object> transfer(String from, String to, long amount) {
        return Map.of("from", from, "to", to, "amount", amount, "currency", "EUR");
    }
}
