package dev.portbank.transfer;

import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Posting finds its rows by index however the tables have grown since its statements were first prepared. A plan
 * cached while the tables were tiny (a sequential scan is cheapest then) and kept as they grow makes every group read
 * the whole key and account tables: throughput that falls with the size of the ledger.
 */
class PostingPlansTest {
    private static final int GROWN_ROWS = 20_000;
    private static final int TRANSFERS = 30;

    private static TestDatabase database;
    private static TestServer server;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        // Two connections, so the statements are prepared early, on tiny tables, and reused for the whole test.
        server = TestServer.start(database, Map.of("DATABASE_POOL_SIZE", "2"));
    }

    @AfterAll
    static void stop() {
        server.close();
        database.close();
    }

    @Test
    void postingReadsNoTableWholeAfterTheLedgerGrows() throws Exception {
        Api api = server.api();
        String alice = api.openAccount(customer("alice"), "EUR");
        String bob = api.openAccount(customer("bob"), "EUR");
        api.deposit(teller("tina"), alice, 1_000_000, "EUR");
        for (int i = 0; i < TRANSFERS; i++) {
            transfer(api, alice, bob);
        }
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            statement.execute("INSERT INTO accounts (owner, name, currency) SELECT 'other-' || g, 'grown', 'EUR' "
                    + "FROM generate_series(1, " + GROWN_ROWS + ") g");
            statement.execute("INSERT INTO idempotency_keys (principal, key, request_hash, outcome) "
                    + "SELECT 'other-' || g, 'key-' || g, 'hash', 'account-not-found' "
                    + "FROM generate_series(1, " + GROWN_ROWS + ") g");
            // No ANALYZE: in a live ledger the statistics lag the growth by up to a minute of autovacuum's naptime.
            Map<String, Long> before = awaitStatistics(statement, TRANSFERS + 1); // and the deposit

            for (int i = 0; i < TRANSFERS; i++) {
                transfer(api, alice, bob);
            }

            Map<String, Long> after = awaitStatistics(statement, before.get("transfers.inserted") + TRANSFERS);
            assertThat(after.get("accounts.seq") - before.get("accounts.seq"))
                    .as("sequential scans of accounts while posting %d transfers", TRANSFERS).isZero();
            assertThat(after.get("idempotency_keys.seq") - before.get("idempotency_keys.seq"))
                    .as("sequential scans of idempotency_keys while posting %d transfers", TRANSFERS).isZero();
        }
        assertThat(api.balance(customer("bob"), bob)).isEqualTo(2L * TRANSFERS);
    }

    private static void transfer(Api api, String from, String to) {
        Api.Response response = api.move("/v1/transfers", customer("alice"),
                Map.of("from", from, "to", to, "amount", 1, "currency", "EUR"));
        assertThat(response.status()).as("transfer: %s", response).isEqualTo(201);
    }

    /**
     * Scan counters once the server's backend has reported at least {@code insertedTransfers} transfer rows
     * (PostgreSQL flushes a backend's statistics up to ten seconds after it goes idle).
     */
    private static Map<String, Long> awaitStatistics(Statement statement, long insertedTransfers) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            Map<String, Long> counters = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT relname, seq_scan, n_tup_ins FROM pg_stat_user_tables "
                    + "WHERE relname IN ('accounts', 'idempotency_keys', 'transfers')")) {
                while (rows.next()) {
                    counters.put(rows.getString(1) + ".seq", rows.getLong(2));
                    counters.put(rows.getString(1) + ".inserted", rows.getLong(3));
                }
            }
            if (counters.getOrDefault("transfers.inserted", 0L) >= insertedTransfers) {
                return counters;
            }
            assertThat(Instant.now()).as("PostgreSQL reported the transfers' statistics in time").isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
