package dev.portbank.account;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Opening an account with an Idempotency-Key: a retry finds the account it opened, never a second one. */
class AccountOpeningKeyTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @Test
    void sameKeySameBodyReplaysTheAccountItOpened() {
        String token = customer("ada");
        Map<String, Object> body = Map.of("currency", "EUR", "name", "Savings");

        Api.Response first = open(token, body, "open-1");
        Api.Response second = open(token, body, "open-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.text("id")).isEqualTo(first.text("id"));
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(accountsOf(token)).isEqualTo(1);
    }

    @Test
    void aReplayShowsTheAccountAsItIsNow() {
        String token = customer("bert");
        Map<String, Object> body = Map.of("currency", "EUR");
        String id = open(token, body, "open-1").text("id");
        BANK.api().deposit(teller("tom"), id, 700, "EUR");

        Api.Response replay = open(token, body, "open-1");

        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.text("id")).isEqualTo(id);
        assertThat(replay.json().path("balance").asLong()).isEqualTo(700);
    }

    @Test
    void sameKeyDifferentBodyIsRefusedAndOpensNothing() {
        String token = customer("cleo");
        open(token, Map.of("currency", "EUR", "name", "Savings"), "k");

        Api.Response otherCurrency = open(token, Map.of("currency", "USD", "name", "Savings"), "k");
        Api.Response otherName = open(token, Map.of("currency", "EUR", "name", "Holidays"), "k");

        for (Api.Response reused : List.of(otherCurrency, otherName)) {
            assertThat(reused.status()).isEqualTo(422);
            assertThat(reused.problem()).isEqualTo("idempotency-key-reused");
            assertThat(reused.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(accountsOf(token)).isEqualTo(1);
    }

    @Test
    void keysAreScopedToTheCaller() {
        Map<String, Object> body = Map.of("currency", "EUR", "name", "Savings");

        Api.Response dora = open(customer("dora"), body, "shared-key");
        Api.Response emil = open(customer("emil"), body, "shared-key");

        assertThat(dora.status()).isEqualTo(201);
        assertThat(emil.status()).isEqualTo(201);
        assertThat(emil.header("Idempotent-Replayed")).isNull();
        assertThat(emil.text("id")).isNotEqualTo(dora.text("id"));
    }

    @Test
    void withoutAKeyEveryRequestOpensAnAccount() {
        String token = customer("finn");
        Map<String, Object> body = Map.of("currency", "EUR", "name", "Savings");

        assertThat(BANK.api().post("/v1/accounts", token, body).status()).isEqualTo(201);
        assertThat(BANK.api().post("/v1/accounts", token, body).status()).isEqualTo(201);
        assertThat(accountsOf(token)).isEqualTo(2);
    }

    @Test
    void aMovementKeyAndAnOpeningKeyAreIndependent() {
        String token = customer("gus");
        String from = open(token, Map.of("currency", "EUR"), "same").text("id");
        String to = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), from, 10, "EUR");

        Api.Response transfer = BANK.api().move("/v1/transfers", token, Map.of("from", from, "to", to, "amount", 5,
                "currency", "EUR"), "same");

        assertThat(transfer.status()).isEqualTo(201);
    }

    @Test
    void anInvalidKeyIs400AsForAMovementAndOpensNothing() {
        String token = customer("ivo");

        Api.Response response = open(token, Map.of("currency", "EUR"), "k".repeat(256));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problem()).isEqualTo("idempotency-key-invalid");
        assertThat(accountsOf(token)).isZero();
    }

    @Test
    void manyConcurrentOpeningsWithOneKeyOpenExactlyOneAccount() throws Exception {
        String token = customer("jay");
        Map<String, Object> body = Map.of("currency", "EUR", "name", "Race");
        int clients = 32;
        List<Future<Api.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> open(token, body, "one-key")));
            }
        }

        List<String> ids = new ArrayList<>();
        int replayed = 0;
        for (Future<Api.Response> answer : answers) {
            Api.Response response = answer.get();
            assertThat(response.status()).as("%s", response).isEqualTo(201);
            ids.add(response.text("id"));
            replayed += "true".equals(response.header("Idempotent-Replayed")) ? 1 : 0;
        }
        assertThat(ids).as("every client was answered the same account").containsOnly(ids.getFirst());
        assertThat(replayed).as("all but one answer are replays").isEqualTo(clients - 1);
        assertThat(accountsOf(token)).isEqualTo(1);
    }

    private static Api.Response open(String token, Map<String, Object> body, String key) {
        return BANK.api().post("/v1/accounts", token, body, Map.of("Idempotency-Key", key));
    }

    /** The caller's accounts, as the API lists them. */
    private static int accountsOf(String token) {
        return BANK.api().get("/v1/accounts?limit=200", token).json().path("items").size();
    }
}
