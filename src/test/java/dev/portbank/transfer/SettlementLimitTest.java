package dev.portbank.transfer;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No amount of deposits overflows a settlement balance into a 500. A database of its own: the test moves a
 * settlement balance by hand, which breaks the sum-to-zero invariant other tests check.
 */
class SettlementLimitTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    @Test
    void aDepositThatWouldOverflowTheSettlementBalanceIsRefusedNever500() throws SQLException {
        String account = BANK.api().openAccount(customer("olaf"), "CHF");
        BANK.api().deposit(teller("tom"), account, 1, "CHF");
        try (Connection connection = BANK.database().connect(); Statement sql = connection.createStatement()) {
            // As if deposits had drained the settlement account to just above the 64-bit floor.
            sql.executeUpdate("UPDATE accounts SET balance = -9223372036854775000 "
                    + "WHERE kind = 'SETTLEMENT' AND currency = 'CHF'");
        }

        Api.Response refused = BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", account,
                "amount", 1_000_000_000_000_000L, "currency", "CHF"));
        Api.Response fits = BANK.api().move("/v1/deposits", teller("tom"), Map.of("account", account,
                "amount", 800, "currency", "CHF"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problem()).isEqualTo("balance-limit");
        assertThat(fits.status()).isEqualTo(201);
        assertThat(BANK.api().balance(customer("olaf"), account)).isEqualTo(801);
    }
}
