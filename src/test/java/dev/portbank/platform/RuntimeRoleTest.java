package dev.portbank.platform;

import dev.portbank.config.DatabaseUrl;
import dev.portbank.testing.Api;
import dev.portbank.testing.BackingServices;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege: migrations run as the schema's owner (DATABASE_MIGRATION_URL) and grant the runtime role
 * (DATABASE_RUNTIME_ROLE) what the service does, and nothing that could rewrite the ledger.
 */
class RuntimeRoleTest {
    private static final String ROLE = "portbank_rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static TestDatabase database;
    private static TestServer server;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.create();
        try (Connection owner = database.connect(); Statement sql = owner.createStatement()) {
            sql.execute("CREATE ROLE " + ROLE + " LOGIN");
        }
        server = TestServer.start(database, Map.of("DATABASE_USER", ROLE, "DATABASE_MIGRATION_URL", database.url(),
                "DATABASE_RUNTIME_ROLE", ROLE));
    }

    @AfterAll
    static void stop() throws SQLException {
        if (server != null) {
            server.close();
        }
        database.close();
        try (Connection postgres = DriverManager.getConnection(DatabaseUrl.parse(BackingServices.postgresServerUrl())
                .jdbcUrl(), owner()); Statement sql = postgres.createStatement()) {
            sql.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @Test
    void theServiceWorksWithTheRuntimeRole() {
        Api api = server.api();
        String from = api.openAccount(customer("rhea"), "EUR");
        String to = api.openAccount(customer("remo"), "EUR");
        api.deposit(teller("tess"), from, 500, "EUR");

        assertThat(api.move("/v1/transfers", customer("rhea"), Map.of("from", from, "to", to, "amount", 200,
                "currency", "EUR")).status()).isEqualTo(201);
        assertThat(api.move("/v1/withdrawals", teller("tess"), Map.of("account", to, "amount", 200,
                "currency", "EUR")).status()).isEqualTo(201);
        assertThat(api.balance(customer("rhea"), from)).isEqualTo(300);
        assertThat(api.get("/v1/accounts/" + from + "/transactions", customer("rhea")).status()).isEqualTo(200);
        assertThat(api.send("POST", "/v1/accounts/" + to + "/close", customer("remo"), null, Map.of()).status())
                .isEqualTo(200);
        Map<String, Object> opening = Map.of("currency", "EUR", "name", "Keyed");
        String opened = api.post("/v1/accounts", customer("rhea"), opening, Map.of("Idempotency-Key", "o-1"))
                .text("id");
        Api.Response replay = api.post("/v1/accounts", customer("rhea"), opening, Map.of("Idempotency-Key", "o-1"));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.text("id")).isEqualTo(opened);
        assertThat(server.admin().get("/observe/health/ready", null).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "TRUNCATE entries", "TRUNCATE transfers", "TRUNCATE accounts CASCADE",
            "UPDATE entries SET amount = 1", "DELETE FROM entries", "UPDATE transfers SET amount = 1",
            "DELETE FROM transfers", "UPDATE accounts SET owner = 'mallory'", "UPDATE accounts SET opening_key = 'k'",
            "DROP TRIGGER entries_append_only ON entries", "ALTER TABLE entries DISABLE TRIGGER ALL",
            "ALTER TABLE accounts DROP CONSTRAINT customer_balance_never_negative", "DROP TABLE entries",
            "DELETE FROM flyway_schema_history", "CREATE TABLE entries_copy (id bigint)"})
    void theRuntimeRoleCannotRewriteTheLedgerOrTheSchema(String statement) throws SQLException {
        server.api().deposit(teller("tess"), server.api().openAccount(customer("vic"), "EUR"), 5, "EUR");
        try (Connection runtime = DriverManager.getConnection(database.databaseUrl().jdbcUrl(), as(ROLE));
             Statement sql = runtime.createStatement()) {
            assertThatThrownBy(() -> sql.execute(statement))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void theMigrateCommandNeedsOnlyTheMigrationUrl() {
        TestDatabase other = TestDatabase.create();
        try {
            var settings = dev.portbank.config.Settings.load(Map.of(
                    "DATABASE_URL", "postgres://nobody@127.0.0.1:1/nowhere", "DATABASE_CONNECT_TIMEOUT_SECONDS", "1",
                    "DATABASE_MIGRATION_URL", other.url(), "DATABASE_RUNTIME_ROLE", ROLE));

            assertThat(Database.migrateOnce(settings.database()).success).isTrue();
        } finally {
            other.close();
        }
    }

    @Test
    void aRuntimeRoleThatDoesNotExistStopsTheMigration() {
        TestDatabase other = TestDatabase.create();
        try {
            assertThatThrownBy(() -> TestServer.start(other, Map.of("DATABASE_MIGRATION_URL", other.url(),
                    "DATABASE_RUNTIME_ROLE", "portbank_no_such_role")))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("DATABASE_RUNTIME_ROLE is portbank_no_such_role, which does not exist");
        } finally {
            other.close();
        }
    }

    private static Properties as(String user) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        return properties;
    }

    private static Properties owner() {
        Properties properties = new Properties();
        DatabaseUrl server = DatabaseUrl.parse(BackingServices.postgresServerUrl());
        server.user().ifPresent(user -> properties.setProperty("user", user));
        server.password().ifPresent(password -> properties.setProperty("password", password));
        return properties;
    }
}
