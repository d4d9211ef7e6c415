package dev.portbank;

import dev.portbank.auth.Role;
import dev.portbank.testing.Api;
import dev.portbank.testing.KeyedLoad;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults of a running deployment, one after another under one keyed load: two PortBank processes on one database
 * and a Redis of the test's own, clients retrying 503s and broken connections with the same key (on the other
 * instance). After a run without a fault: an instance SIGKILLed and replaced, Redis paused (SIGSTOP) and resumed,
 * Redis killed and started again with its old contents, and malformed values written over cached balances. After each
 * case: no 500 ever, every acknowledged transfer in the ledger exactly once, money exact, and every balance either
 * instance serves, from Redis again, equal to the ledger's. Each case prints what it did and what it counted.
 */
@Timeout(170)
class FaultSuiteIT {
    private static final int CLIENTS = 16;
    private static final int ACCOUNTS = 12;
    private static final long DEPOSIT = 1_000_000;
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration REDIS_PAUSE = Duration.ofSeconds(3);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(10);
    private static final Pattern CACHE_IN_USE = Pattern.compile(
            "(?=.*\"redis\":\"UP\")(?=.*\"breaker\":\"CLOSED\")(?=.*\"epochStable\":\"?true)");
    private static final List<String> MALFORMED = List.of("garbage", "", "7 25", "{\"balance\":25}", "-3 25 EUR x",
            "99999999999999999999999 25 EUR x");

    /** What a fault did, and from when recovery is timed (the fault's end). */
    private record Injected(String what, long healedNanos) {
    }

    /** Whether both instances read balances from Redis, as seen at one moment. */
    private record CacheState(long atNanos, boolean inUse) {
    }

    /** One fault, injected while the load runs. */
    @FunctionalInterface
    private interface Fault {
        Injected inject(KeyedLoad load) throws Exception;
    }

    private TestDatabase database;
    private TestRedis redis;
    private List<PortBankInstance> instances;
    private List<KeyedLoad.Account> accounts;

    @Test
    void everyFaultUnderOneKeyedLoadKeepsMoneyExactAndServesTheLedgersBalances() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TestRedis redis = TestRedis.start();
             PortBankInstance first = PortBankInstance.start(database, redis, Map.of());
             PortBankInstance second = PortBankInstance.start(database, redis,
                     Map.of("DATABASE_MIGRATE_ON_START", "false"))) {
            this.database = database;
            this.redis = redis;
            this.instances = List.of(first, second);
            this.accounts = KeyedLoad.openAccounts(first.api(), ACCOUNTS, DEPOSIT,
                    PortBankInstance::token);

            run("no fault", load -> new Injected("load alone, for reference", load.now()));
            run("instance killed", load -> {
                long killed = load.now();
                first.kill();
                Duration listening = first.startAgain();
                long ready = load.now();
                int replayed = load.assertReplays(first.api(), 50);
                return new Injected("SIGKILL of the instance on port " + first.port() + " mid-load; its replacement"
                        + " listened " + listening.toMillis() + " ms and was ready " + millis(ready - killed)
                        + " ms after the kill, and answered " + replayed + " acknowledged keys sent again with their"
                        + " first transfers", killed);
            });
            run("redis paused", load -> {
                redis.pause();
                Thread.sleep(REDIS_PAUSE);
                redis.resume();
                return new Injected("Redis SIGSTOPped for " + REDIS_PAUSE.toMillis() + " ms, then SIGCONT",
                        load.now());
            });
            run("redis restarted", load -> {
                redis.snapshot();
                Thread.sleep(500); // balances move on: what Redis comes back with is stale
                long down = load.now();
                redis.stop();
                redis.startAgain();
                return new Injected("Redis killed and started again with its snapshot from 500 ms before (down "
                        + millis(load.now() - down) + " ms)", load.now());
            });
            run("cache value corrupted", load -> {
                long corrupted = load.now();
                Map<String, String> written = corruptCachedBalances();
                long replaced = awaitReplaced(written);
                return new Injected("malformed values written over " + written.size() + " cached balances; all "
                        + "replaced " + millis(replaced - corrupted) + " ms later", corrupted);
            });
        }
    }

    private void run(String name, Fault fault) throws Exception {
        long transfersBefore = single("SELECT count(*) FROM transfers");
        KeyedLoad load = KeyedLoad.start(instances.stream().map(PortBankInstance::api).toList(), accounts, CLIENTS,
                PortBankInstance::token);
        List<CacheState> cache = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().daemon().start(() -> watchCache(cache, watching));
        Injected injected;
        double baseline;
        try {
            Thread.sleep(WARM_UP);
            baseline = load.rateBefore(load.now(), WARM_UP);
            injected = fault.inject(load);
            Thread.sleep(SETTLE);
        } finally {
            load.stop();
            watching.set(false);
            watcher.join(5_000);
        }
        Duration recovered = load.recoveredAfter(injected.healedNanos(), baseline).orElse(null);
        Duration cacheBack = cacheBackAfter(cache, injected.healedNanos());
        awaitCacheInUse();

        System.out.printf("fault suite, %s: %s | %d clients, %d requests, %d retries, %d 503s, %d connection "
                        + "errors, %d acknowledged transfers, answers %s | transfers back to half their rate "
                        + "(%.0f/s before) %s after it, Redis read again by both instances %s%n",
                name, injected.what(), CLIENTS, load.requests(), load.retries(), load.count(503),
                load.connectionErrors(), load.acknowledged().size(), load.statuses(), baseline,
                recovered == null ? "never" : recovered.toMillis() + " ms",
                cacheBack == null ? "only after the load stopped" : cacheBack.toMillis() + " ms after it");

        assertThat(load.failures()).as("%s: answers no client may get", name).isEmpty();
        assertThat(load.count(500)).as("%s: 500s", name).isZero();
        assertThat(load.unresolved()).as("%s: movements never resolved by retrying their key", name).isZero();
        assertThat(load.acknowledged()).as("%s: transfers acknowledged", name).isNotEmpty();
        assertThat(recovered).as("%s: throughput back", name).isNotNull().isLessThan(RECOVERY_LIMIT);
        try (Connection connection = database.connect()) {
            load.assertLedgerExact(connection, Math.toIntExact(transfersBefore));
        }
        List<Double> hitsBefore = instances.stream().map(FaultSuiteIT::cacheHits).toList();
        assertServedBalancesEqualLedger(name); // twice: the first may fill the cache, the second reads it
        assertServedBalancesEqualLedger(name);
        for (int i = 0; i < instances.size(); i++) {
            assertThat(cacheHits(instances.get(i))).as("%s: balances served from Redis by port %d", name,
                    instances.get(i).port()).isGreaterThan(hitsBefore.get(i));
        }
    }

    /**
     * Waits until both instances read balances from Redis again (Redis up, breaker closed, a stable epoch), reading
     * every balance meanwhile, which must always be the ledger's.
     */
    private void awaitCacheInUse() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cacheInUse()) {
            assertThat(System.nanoTime()).as("both instances use the cache again").isLessThan(deadline);
            assertServedBalancesEqualLedger("while the cache comes back");
            Thread.sleep(100);
        }
    }

    private boolean cacheInUse() {
        return instances.stream().allMatch(instance -> CACHE_IN_USE.matcher(
                instance.admin().get("/observe/health/ready", null).raw()).find());
    }

    private void watchCache(List<CacheState> seen, AtomicBoolean watching) {
        while (watching.get()) {
            long at = System.nanoTime();
            boolean inUse;
            try {
                inUse = cacheInUse();
            } catch (RuntimeException instanceDown) {
                inUse = false;
            }
            seen.add(new CacheState(at, inUse));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * From {@code healedNanos} to the start of the last stretch in which both instances read Redis (0 if they never
     * stopped); null if they were not reading it when the load ended.
     */
    private static Duration cacheBackAfter(List<CacheState> seen, long healedNanos) {
        Long since = null;
        for (CacheState state : seen) {
            if (state.atNanos() < healedNanos) {
                continue;
            }
            if (!state.inUse()) {
                since = null;
            } else if (since == null) {
                since = state.atNanos();
            }
        }
        return since == null ? null : Duration.ofNanos(Math.max(0, since - healedNanos));
    }

    /** Every balance, read through every instance, equals the ledger's (no movement runs meanwhile). */
    private void assertServedBalancesEqualLedger(String name) throws SQLException {
        Map<String, Long> ledger = ledgerBalances();
        for (PortBankInstance instance : instances) {
            for (KeyedLoad.Account account : accounts) {
                String token = PortBankInstance.token(account.owner(), Role.CUSTOMER);
                assertThat(instance.api().balance(token, account.id()))
                        .as("%s: balance of %s served by port %d", name, account.id(), instance.port())
                        .isEqualTo(ledger.get(account.id()));
            }
        }
    }

    /** Overwrites every cached balance of the current epoch with a malformed value; returns key -> value written. */
    private Map<String, String> corruptCachedBalances() {
        long epoch = single("SELECT epoch FROM cache_epoch");
        Map<String, String> written = new HashMap<>();
        try (RedisClient client = redis.client()) {
            int i = 0;
            for (String key : client.keys("portbank:" + epoch + ":balance:*")) {
                String value = MALFORMED.get(i++ % MALFORMED.size());
                client.set(key, value);
                written.put(key, value);
            }
        }
        assertThat(written).as("cached balances to corrupt").isNotEmpty();
        return written;
    }

    /** Waits until no key holds the malformed value written into it (read, found malformed, replaced). */
    private long awaitReplaced(Map<String, String> written) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        try (RedisClient client = redis.client()) {
            while (written.entrySet().stream().anyMatch(entry -> entry.getValue().equals(
                    client.get(entry.getKey())))) {
                assertThat(System.nanoTime()).as("every malformed cached balance replaced").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        return System.nanoTime();
    }

    private Map<String, Long> ledgerBalances() throws SQLException {
        Map<String, Long> balances = new HashMap<>();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT id, balance FROM accounts WHERE kind = 'CUSTOMER'")) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        return balances;
    }

    private long single(String query) {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double cacheHits(PortBankInstance instance) {
        return instance.admin().get("/observe/metrics", null).raw().lines()
                .filter(line -> line.startsWith("portbank_cache_hits_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
