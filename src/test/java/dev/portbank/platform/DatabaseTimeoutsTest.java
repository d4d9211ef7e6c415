package dev.portbank.platform;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every wait of an API connection is bounded: a row lock held elsewhere turns into a 503 after the lock timeout
 * (and the posting's retries), not a call that hangs; the timeouts are the configured ones.
 */
@Timeout(120)
class DatabaseTimeoutsTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank(Map.of(
            "DATABASE_STATEMENT_TIMEOUT_MILLIS", "1500", "DATABASE_LOCK_TIMEOUT_MILLIS", "200"));

    @Test
    void apiConnectionsCarryTheConfiguredTimeouts() throws Exception {
        try (Connection connection = BANK.server().portBank().database().connection();
             Statement sql = connection.createStatement()) {
            assertThat(show(sql, "statement_timeout")).isEqualTo("1500ms");
            assertThat(show(sql, "lock_timeout")).isEqualTo("200ms");
        }
    }

    @Test
    void aLockHeldElsewhereAnswers503InsteadOfHanging() throws Exception {
        Api api = BANK.api();
        String from = api.openAccount(customer("lou"), "EUR");
        String to = api.openAccount(customer("max"), "EUR");
        api.deposit(teller("tom"), from, 100, "EUR");
        Map<String, Object> transfer = Map.of("from", from, "to", to, "amount", 10, "currency", "EUR");
        String key = UUID.randomUUID().toString();

        Api.Response blocked;
        long took;
        try (Connection holder = BANK.database().connect(); Statement sql = holder.createStatement()) {
            holder.setAutoCommit(false);
            sql.execute("SELECT 1 FROM accounts WHERE id = '" + UUID.fromString(from) + "' FOR UPDATE");
            long start = System.nanoTime();
            blocked = api.move("/v1/transfers", customer("lou"), transfer, key);
            took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            holder.rollback();
        }

        System.out.printf("lock held elsewhere: answered %d after %d ms%n", blocked.status(), took);
        assertThat(blocked.status()).as("%s", blocked).isEqualTo(503);
        assertThat(blocked.problem()).isEqualTo("database-unavailable");
        assertThat(blocked.header("Retry-After")).isEqualTo("1");
        assertThat(took).as("bounded by the lock timeout and the posting's retries").isLessThan(15_000);

        Api.Response retried = api.move("/v1/transfers", customer("lou"), transfer, key);
        assertThat(retried.status()).as("%s", retried).isEqualTo(201);
        assertThat(api.balance(customer("lou"), from)).isEqualTo(90);
    }

    private static String show(Statement sql, String setting) throws Exception {
        try (ResultSet row = sql.executeQuery("SHOW " + setting)) {
            row.next();
            return row.getString(1);
        }
    }
}
