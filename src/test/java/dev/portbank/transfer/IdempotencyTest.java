package dev.portbank.transfer;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** The Idempotency-Key contract: replay the first answer, never move money twice. */
class IdempotencyTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @Test
    void sameKeySameBodyReplaysTheFirstAnswer() {
        String token = customer("ida");
        String from = BANK.api().openAccount(token, "EUR");
        String to = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), from, 100, "EUR");
        Map<String, Object> body = Map.of("from", from, "to", to, "amount", 40, "currency", "EUR");

        Api.Response first = BANK.api().move("/v1/transfers", token, body, "key-1");
        Api.Response second = BANK.api().move("/v1/transfers", token, body, "key-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(BANK.api().balance(token, from)).isEqualTo(60);
    }

    @Test
    void sameKeyDifferentBodyIsRefused() {
        String token = customer("jon");
        String from = BANK.api().openAccount(token, "EUR");
        String to = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), from, 100, "EUR");
        BANK.api().move("/v1/transfers", token, Map.of("from", from, "to", to, "amount", 40, "currency", "EUR"), "k");

        Api.Response reused = BANK.api().move("/v1/transfers", token, Map.of("from", from, "to", to, "amount", 41,
                "currency", "EUR"), "k");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.problem()).isEqualTo("idempotency-key-reused");
        assertThat(BANK.api().balance(token, from)).isEqualTo(60);
    }

    @Test
    void refusedMovementIsReplayedNotRetried() {
        String token = customer("kim");
        String from = BANK.api().openAccount(token, "EUR");
        String to = BANK.api().openAccount(token, "EUR");
        Map<String, Object> body = Map.of("from", from, "to", to, "amount", 50, "currency", "EUR");

        Api.Response refused = BANK.api().move("/v1/transfers", token, body, "poor");
        BANK.api().deposit(teller("tom"), from, 100, "EUR");
        Api.Response replay = BANK.api().move("/v1/transfers", token, body, "poor");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(replay.status()).isEqualTo(422);
        assertThat(replay.raw()).isEqualTo(refused.raw());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(BANK.api().balance(token, from)).isEqualTo(100);
    }

    @Test
    void keysAreScopedToThePrincipal() {
        String mia = customer("mia");
        String ned = customer("ned");
        String miaAccount = BANK.api().openAccount(mia, "EUR");
        String nedAccount = BANK.api().openAccount(ned, "EUR");
        String target = BANK.api().openAccount(customer("sink"), "EUR");
        BANK.api().deposit(teller("tom"), miaAccount, 100, "EUR");
        BANK.api().deposit(teller("tom"), nedAccount, 100, "EUR");

        Api.Response miaMove = BANK.api().move("/v1/transfers", mia, Map.of("from", miaAccount, "to", target,
                "amount", 10, "currency", "EUR"), "shared-key");
        Api.Response nedMove = BANK.api().move("/v1/transfers", ned, Map.of("from", nedAccount, "to", target,
                "amount", 20, "currency", "EUR"), "shared-key");

        assertThat(miaMove.status()).isEqualTo(201);
        assertThat(nedMove.status()).isEqualTo(201);
        assertThat(nedMove.header("Idempotent-Replayed")).isNull();
        assertThat(nedMove.text("id")).isNotEqualTo(miaMove.text("id"));
        assertThat(BANK.api().balance(customer("sink"), target)).isEqualTo(30);
    }

    @Test
    void sameKeyFromManyConcurrentClientsMovesMoneyOnce() throws Exception {
        String token = customer("ola");
        String from = BANK.api().openAccount(token, "EUR");
        String to = BANK.api().openAccount(token, "EUR");
        BANK.api().deposit(teller("tom"), from, 1000, "EUR");
        Map<String, Object> body = Map.of("from", from, "to", to, "amount", 7, "currency", "EUR");

        List<Future<Api.Response>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < 64; i++) {
                answers.add(clients.submit(() -> BANK.api().move("/v1/transfers", token, body, "storm")));
            }
        }

        List<String> ids = new ArrayList<>();
        for (Future<Api.Response> answer : answers) {
            Api.Response response = answer.get();
            assertThat(response.status()).as(response.toString()).isIn(201, 409);
            if (response.status() == 201) {
                ids.add(response.text("id"));
            }
        }
        assertThat(ids).isNotEmpty().allMatch(ids.getFirst()::equals);
        assertThat(BANK.api().balance(token, from)).isEqualTo(993);
        assertThat(BANK.api().balance(token, to)).isEqualTo(7);
    }

    @Test
    void expiredKeysArePurged() throws SQLException {
        String token = customer("pia");
        String account = BANK.api().openAccount(token, "EUR");
        BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", account, "amount", 1, "currency", "EUR"), "old");
        try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'");
        }

        long purged = new IdempotencyPurger(BANK.server().portBank().database().client(), java.time.Duration.ofHours(24))
                .purge();

        assertThat(purged).isGreaterThanOrEqualTo(1);
        try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement();
             ResultSet left = statement.executeQuery("SELECT count(*) FROM idempotency_keys WHERE key = 'old'")) {
            left.next();
            assertThat(left.getLong(1)).isZero();
        }
    }
}
