package dev.portbank.testing;

import dev.portbank.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A database of its own for a test class, created on the shared PostgreSQL server ({@link BackingServices}: the one
 * {@code PORTBANK_TEST_DATABASE_URL} names, by default the local one) and dropped afterwards. An unreachable server
 * fails the test loudly.
 */
public final class TestDatabase implements AutoCloseable {
    private final DatabaseUrl url;

    private TestDatabase(DatabaseUrl url) {
        this.url = url;
    }

    public static TestDatabase create() {
        DatabaseUrl server = DatabaseUrl.parse(BackingServices.postgresServerUrl());
        String name = "portbank_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        run(server, "CREATE DATABASE " + name);
        return new TestDatabase(server.withDatabase(name));
    }

    /** The URL in the {@code postgres://} form users give PortBank. */
    public String url() {
        return "postgres://" + url.user().orElse("postgres") + url.password().map(p -> ":" + p).orElse("") + "@"
                + url.host() + ":" + url.port() + "/" + url.database();
    }

    public DatabaseUrl databaseUrl() {
        return url;
    }

    /** A plain JDBC connection to this database, for invariant checks and fault injection. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), properties(url));
    }

    @Override
    public void close() {
        DatabaseUrl server = DatabaseUrl.parse(BackingServices.postgresServerUrl());
        run(server, "DROP DATABASE IF EXISTS " + url.database() + " WITH (FORCE)");
    }

    private static void run(DatabaseUrl server, String sql) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties(server));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the tests need PostgreSQL at " + server.redacted()
                    + " (set PORTBANK_TEST_DATABASE_URL): " + e.getMessage(), e);
        }
    }

    private static Properties properties(DatabaseUrl url) {
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        return properties;
    }
}
