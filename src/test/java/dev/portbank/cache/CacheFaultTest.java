package dev.portbank.cache;

import dev.portbank.testing.Api;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import static dev.portbank.cache.CacheTestSupport.await;
import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Redis stopped, restarted, and brought back with stale contents: no failed call, no stale balance. */
class CacheFaultTest {

    @Test
    void redisOutageInTheMiddleOfLoadFailsNoCallAndServesNoStaleBalance() throws Exception {
        try (TwoCachedInstances bank = TwoCachedInstances.start()) {
            ReadYourWritesLoad load = new ReadYourWritesLoad(bank.apis(), 8);

            try (ExecutorService pool = ReadYourWritesLoad.pool(16)) {
                List<Future<?>> tasks = load.start(pool, 8);
                Thread.sleep(2_000);
                bank.redis().snapshot();          // what Redis will come back with: balances from before the outage
                Thread.sleep(500);
                bank.redis().stop();
                int duringOutage = load.movements();
                Thread.sleep(2_500);
                assertThat(load.movements()).as("movements went on without Redis").isGreaterThan(duringOutage);
                bank.redis().startAgain();
                Thread.sleep(3_000);
                load.stop();
                for (Future<?> task : tasks) {
                    task.get();
                }
            }

            assertThat(load.violations()).isEmpty();
            CacheConsistencyTest.assertCacheEqualsLedger(bank.database(), bank.redis(), load.accounts());
        }
    }

    /** A paused Redis accepts nothing and answers nothing: every call must still be bounded by the Redis timeout. */
    @Test
    void redisPausedInTheMiddleOfLoadFailsNoCallAndServesNoStaleBalance() throws Exception {
        try (TwoCachedInstances bank = TwoCachedInstances.start()) {
            ReadYourWritesLoad load = new ReadYourWritesLoad(bank.apis(), 8);

            int duringPause;
            try (ExecutorService pool = ReadYourWritesLoad.pool(16)) {
                List<Future<?>> tasks = load.start(pool, 8);
                Thread.sleep(2_000);
                bank.redis().pause();
                int before = load.movements();
                Thread.sleep(3_000);
                duringPause = load.movements() - before;
                bank.redis().resume();
                Thread.sleep(3_000);
                load.stop();
                for (Future<?> task : tasks) {
                    task.get();
                }
            }

            System.out.printf("redis paused for 3 s: %d movements during the pause, %d in all, %d reads%n",
                    duringPause, load.movements(), load.reads());
            assertThat(duringPause).as("movements went on while Redis was paused").isPositive();
            assertThat(load.violations()).isEmpty();
            CacheConsistencyTest.assertCacheEqualsLedger(bank.database(), bank.redis(), load.accounts());
        }
    }

    @Test
    void redisBackWithExactlyItsOldContentsServesNoStaleBalance() throws Exception {
        try (TwoCachedInstances bank = TwoCachedInstances.start()) {
            List<Api> instances = bank.apis();
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String owner = customer("c" + i);
                String account = bank.first().api().openAccount(owner, "EUR");
                bank.first().api().deposit(teller("t"), account, 1_000, "EUR");
                accounts.add(account);
                instances.forEach(api -> assertThat(api.balance(owner, account)).isEqualTo(1_000)); // cached now
            }
            bank.redis().snapshot();
            bank.redis().stop();

            for (int i = 0; i < accounts.size(); i++) {
                Api via = instances.get(i % 2);
                long started = System.nanoTime();
                Api.Response withdrawal = via.move("/v1/withdrawals", teller("t"), Map.of("account", accounts.get(i),
                        "amount", 100 + i, "currency", "EUR"));
                assertThat(withdrawal.status()).isEqualTo(201);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                assertThat(instances.get((i + 1) % 2).balance(customer("c" + i), accounts.get(i)))
                        .isEqualTo(900 - i);
            }

            bank.redis().startAgain(); // exactly the old contents: every balance in it is now stale
            await(() -> bank.first().admin().get("/observe/health/ready", null).raw().contains("\"redis\":\"UP\"")
                    && bank.second().admin().get("/observe/health/ready", null).raw().contains("\"redis\":\"UP\""),
                    Duration.ofSeconds(10), "instances did not see Redis come back");
            Thread.sleep(2_500); // let the circuit breakers close again, so reads really go to Redis

            for (int i = 0; i < accounts.size(); i++) {
                for (Api api : instances) {
                    assertThat(api.balance(customer("c" + i), accounts.get(i))).isEqualTo(900 - i);
                }
            }
            String metrics = bank.first().admin().get("/observe/metrics", null).raw()
                    + bank.second().admin().get("/observe/metrics", null).raw();
            assertThat(metrics).contains("portbank_cache_hits_total").contains("portbank_cache_fallbacks_total");
        }
    }
}
