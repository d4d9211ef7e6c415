package dev.portbank.cache;

import dev.portbank.config.DatabaseUrl;
import dev.portbank.testing.TcpProxy;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.DriverManager;
import java.time.Duration;

import static dev.portbank.cache.CacheTestSupport.await;
import static dev.portbank.cache.CacheTestSupport.epoch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An epoch advance while PostgreSQL cannot be reached: it gives up within its budget rather than holding a client's
 * call, the instance stops using the cache, and it takes no lease again before the owed advance has been made.
 */
@Timeout(90)
class CacheEpochOutageTest {

    @Test
    void advanceIsBoundedAndOwedUntilPostgresIsBack() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TcpProxy proxy = TcpProxy.to(
                database.databaseUrl().host(), database.databaseUrl().port())) {
            TestServer.start(database).close(); // the schema
            DatabaseUrl throughProxy = DatabaseUrl.parse("postgres://postgres@127.0.0.1:" + proxy.port() + "/"
                    + database.databaseUrl().database());
            // Every connection goes through the proxy: the pool's too, as in an instance cut off from PostgreSQL.
            String jdbcUrl = throughProxy.jdbcUrl() + "?user=postgres";
            try (CacheEpoch cacheEpoch = CacheEpoch.start(throughProxy, () -> DriverManager.getConnection(jdbcUrl))) {
                await(cacheEpoch::trusted, Duration.ofSeconds(10), "the epoch listener never confirmed");
                long before = epoch(database);

                proxy.cut();
                long started = System.nanoTime();
                cacheEpoch.advance("a Redis write failed after a commit (test)");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("epoch advance with PostgreSQL unreachable gave up after %d ms%n", took.toMillis());

                assertThat(took).as("advance bounded").isLessThan(CacheEpoch.ADVANCE_BUDGET.plusSeconds(1));
                assertThat(cacheEpoch.advanceOwed()).isTrue();
                assertThat(cacheEpoch.trusted()).as("cache unused while the advance is owed").isFalse();
                assertThat(epoch(database)).isEqualTo(before);

                proxy.restore();
                await(cacheEpoch::trusted, Duration.ofSeconds(20), "the cache was never trusted again");
                assertThat(epoch(database)).as("the owed advance was made before the lease was taken again")
                        .isGreaterThan(before);
                assertThat(cacheEpoch.advanceOwed()).isFalse();
            }
        }
    }
}
