package dev.portbank.cache;

import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Looking at the cache from outside: the epoch in PostgreSQL, keys in Redis, waiting for the instance to be ready. */
final class CacheTestSupport {
    private CacheTestSupport() {
    }

    static long epoch(TestDatabase database) {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT epoch FROM cache_epoch")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(TestDatabase database, String accountId) {
        return BalanceCache.key(epoch(database), UUID.fromString(accountId));
    }

    /** Waits until the instance's cache is in use (its epoch listener is up). */
    static void awaitCacheTrusted(TestServer server) {
        await(() -> server.admin().get("/observe/health/ready", null).raw().contains("\"epochListener\":\"UP\""),
                Duration.ofSeconds(10), "the cache epoch listener did not come up");
    }

    static void await(BooleanSupplier condition, Duration timeout, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(failure);
            }
        }
        throw new AssertionError(failure);
    }
}
