package dev.portbank.cache;

import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import static dev.portbank.cache.CacheTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances share one Redis: movements through one instance are seen by balance reads through the other
 * the moment they are answered, and at the end every cached value equals the ledger.
 */
class CacheConsistencyTest {

    @Test
    void readYourWritesAcrossInstancesAndCacheEqualsLedger() throws Exception {
        try (TwoCachedInstances bank = TwoCachedInstances.start()) {
            ReadYourWritesLoad load = new ReadYourWritesLoad(bank.apis(), 16);

            try (ExecutorService pool = ReadYourWritesLoad.pool(32)) {
                List<Future<?>> tasks = load.start(pool, 16);
                Thread.sleep(8_000);
                load.stop();
                for (Future<?> task : tasks) {
                    task.get();
                }
            }

            assertThat(load.violations()).isEmpty();
            assertThat(load.movements()).isGreaterThan(100);
            assertCacheEqualsLedger(bank.database(), bank.redis(), load.accounts());
        }
    }

    static void assertCacheEqualsLedger(TestDatabase database, TestRedis redis, List<String> accounts)
            throws Exception {
        try (RedisClient inspect = redis.client(); Connection connection = database.connect();
             Statement sql = connection.createStatement()) {
            int compared = 0;
            for (String account : accounts) {
                String cached = inspect.get(key(database, account));
                if (cached == null) {
                    continue;
                }
                CachedBalance value = CachedBalance.parse(java.util.UUID.fromString(account), cached)
                        .orElseThrow(() -> new AssertionError("malformed cached balance: " + cached));
                if (value.provisional()) {
                    continue; // never served
                }
                try (ResultSet row = sql.executeQuery("SELECT balance, version FROM accounts WHERE id = '"
                        + account + "'")) {
                    row.next();
                    assertThat(value.balance().version()).as(account).isEqualTo(row.getLong(2));
                    assertThat(value.balance().balance()).as(account).isEqualTo(row.getLong(1));
                }
                compared++;
            }
            assertThat(compared).as("accounts found in the cache").isPositive();
        }
    }
}
