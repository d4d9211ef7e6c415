package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transfers, deposits and withdrawals against a real PortBank and PostgreSQL. */
class TransferApiTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @Test
    void transferMovesMoneyAndAnswersTheTransfer() {
        String token = customer("tara");
        String from = BANK.api().openAccount(token, "EUR");
        String to = BANK.api().openAccount(customer("ulf"), "EUR");
        BANK.api().deposit(teller("tom"), from, 1000, "EUR");

        Api.Response response = BANK.api().move("/v1/transfers", token, Map.of("from", from, "to", to, "amount", 250,
                "currency", "EUR", "reference", "invoice 7"));

        assertThat(response.status()).isEqualTo(201);
        JsonNode transfer = response.json();
        assertThat(response.header("Location")).isEqualTo("/v1/transfers/" + transfer.path("id").asText());
        assertThat(transfer.path("kind").asText()).isEqualTo("TRANSFER");
        assertThat(transfer.path("from").asText()).isEqualTo(from);
        assertThat(transfer.path("to").asText()).isEqualTo(to);
        assertThat(transfer.path("amount").asLong()).isEqualTo(250);
        assertThat(transfer.path("currency").asText()).isEqualTo("EUR");
        assertThat(transfer.path("reference").asText()).isEqualTo("invoice 7");
        assertThat(transfer.path("createdAt").asText()).isNotBlank();
        assertThat(BANK.api().balance(token, from)).isEqualTo(750);
        assertThat(BANK.api().balance(customer("ulf"), to)).isEqualTo(250);
    }

    @Test
    void transferCanBeReadBackByBothParties() {
        String from = BANK.api().openAccount(customer("ada"), "EUR");
        String to = BANK.api().openAccount(customer("bo"), "EUR");
        BANK.api().deposit(teller("tom"), from, 10, "EUR");
        String id = BANK.api().move("/v1/transfers", customer("ada"), Map.of("from", from, "to", to, "amount", 10,
                "currency", "EUR")).text("id");

        assertThat(BANK.api().get("/v1/transfers/" + id, customer("ada")).json().path("amount").asLong()).isEqualTo(10);
        assertThat(BANK.api().get("/v1/transfers/" + id, customer("bo")).status()).isEqualTo(200);
        assertThat(BANK.api().get("/v1/transfers/" + id, customer("eve")).status()).isEqualTo(404);
        assertThat(BANK.api().get("/v1/transfers/" + id, teller("tom")).status()).isEqualTo(200);
        assertThat(BANK.api().get("/v1/transfers/00000000-0000-0000-0000-000000000001", customer("ada")).status())
                .isEqualTo(404);
    }

    @Test
    void depositAndWithdrawalHaveNoExternalAccountInTheAnswer() {
        String account = BANK.api().openAccount(customer("cleo"), "GBP");

        JsonNode deposit = BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", account, "amount", 500,
                "currency", "GBP")).json();
        JsonNode withdrawal = BANK.api().move("/v1/withdrawals", teller("tom"), Map.of("account", account, "amount", 200,
                "currency", "GBP")).json();

        assertThat(deposit.path("kind").asText()).isEqualTo("DEPOSIT");
        assertThat(deposit.path("from").isNull()).isTrue();
        assertThat(deposit.path("to").asText()).isEqualTo(account);
        assertThat(withdrawal.path("kind").asText()).isEqualTo("WITHDRAWAL");
        assertThat(withdrawal.path("from").asText()).isEqualTo(account);
        assertThat(withdrawal.path("to").isNull()).isTrue();
        assertThat(BANK.api().balance(customer("cleo"), account)).isEqualTo(300);
    }

    @Test
    void everyCurrencySumsToZeroIncludingSettlement() throws SQLException {
        String account = BANK.api().openAccount(customer("dan"), "CHF");
        BANK.api().deposit(teller("tom"), account, 700, "CHF");

        try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement();
             ResultSet sums = statement.executeQuery("SELECT currency, sum(balance) FROM accounts GROUP BY currency")) {
            while (sums.next()) {
                assertThat(sums.getLong(2)).as(sums.getString(1)).isZero();
            }
        }
    }

    @Test
    void settlementAccountsAreNeverAddressable() throws SQLException {
        String account = BANK.api().openAccount(customer("eli"), "SEK");
        BANK.api().deposit(teller("tom"), account, 5, "SEK");
        String settlement;
        try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT id FROM accounts WHERE kind = 'SETTLEMENT' "
                     + "AND currency = 'SEK'")) {
            row.next();
            settlement = row.getString(1);
        }

        assertThat(BANK.api().get("/v1/accounts/" + settlement, teller("tom")).status()).isEqualTo(404);
        assertThat(BANK.api().get("/v1/accounts/" + settlement + "/balance", teller("tom")).status()).isEqualTo(404);
        assertThat(BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", settlement, "amount", 1,
                "currency", "SEK")).status()).isEqualTo(404);
        assertThat(BANK.api().move("/v1/transfers", teller("tom"), Map.of("from", settlement, "to", account, "amount", 1,
                "currency", "SEK")).status()).isEqualTo(404);
        assertThat(BANK.api().get("/v1/accounts?limit=200", teller("tom")).json().path("items").findValuesAsText("id"))
                .doesNotContain(settlement);
    }

    @Test
    void ledgerIsAppendOnly() {
        assertThatThrownBy(() -> {
            try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE entries SET amount = amount + 1");
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> {
            try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM transfers");
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> {
            try (Connection connection = BANK.database().connect(); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM accounts WHERE kind = 'CUSTOMER'");
            }
        }).as("an account is never deleted: entries and transfers name it without a foreign key")
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        for (String change : List.of("TRUNCATE accounts CASCADE", "TRUNCATE transfers CASCADE", "TRUNCATE entries",
                "UPDATE accounts SET id = gen_random_uuid() WHERE kind = 'CUSTOMER'")) {
            assertThatThrownBy(() -> {
                try (Connection connection = BANK.database().connect();
                     Statement statement = connection.createStatement()) {
                    statement.execute(change);
                }
            }).as(change).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }
}
