package dev.portbank.cache;

import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

import dev.portbank.account.Balance;
import dev.portbank.config.Settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.portbank.cache.CacheTestSupport.awaitCacheTrusted;
import static dev.portbank.cache.CacheTestSupport.key;
import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/** Hit, miss, fill and write-after-commit against a real Redis and PostgreSQL. */
class BalanceCacheTest {
    private static TestDatabase database;
    private static TestRedis redis;
    private static TestServer server;
    private static Api api;
    private static RedisClient inspect;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        redis = TestRedis.start();
        server = TestServer.start(database, Map.of("REDIS_URL", redis.url()));
        api = server.api();
        inspect = redis.client();
        awaitCacheTrusted(server);
    }

    @AfterAll
    static void stop() {
        inspect.close();
        server.close();
        redis.close();
        database.close();
    }

    @Test
    void missReadsPostgresAndFillsRedis() {
        String id = api.openAccount(customer("mo"), "EUR");
        assertThat(inspect.get(key(database, id))).isNull();

        assertThat(api.balance(customer("mo"), id)).isZero();

        assertThat(inspect.get(key(database, id))).isEqualTo("1 0 EUR mo"); // rank 1: version 0, trusted
        assertThat(metric("portbank_cache_misses_total")).isPositive();
    }

    @Test
    void hitIsServedFromRedis() {
        String id = api.openAccount(customer("hal"), "EUR");
        api.balance(customer("hal"), id);
        // Plant a value only Redis knows: if the answer shows it, the read came from Redis.
        inspect.set(key(database, id), "1 777 EUR hal");

        assertThat(api.balance(customer("hal"), id)).isEqualTo(777);
        assertThat(metric("portbank_cache_hits_total")).isPositive();
        inspect.set(key(database, id), "1 0 EUR hal");
    }

    @Test
    void cachedBalanceStillHonoursOwnership() {
        String id = api.openAccount(customer("owner"), "EUR");
        api.balance(customer("owner"), id);

        assertThat(api.get("/v1/accounts/" + id + "/balance", customer("intruder")).status()).isEqualTo(404);
        assertThat(api.get("/v1/accounts/" + id + "/balance", teller("tom")).status()).isEqualTo(200);
    }

    @Test
    void movementWritesBothNewBalancesBeforeAnswering() {
        String from = api.openAccount(customer("wes"), "EUR");
        String to = api.openAccount(customer("xia"), "EUR");
        api.deposit(teller("tom"), from, 500, "EUR");

        Api.Response transfer = api.move("/v1/transfers", customer("wes"), Map.of("from", from, "to", to,
                "amount", 120, "currency", "EUR"));

        assertThat(transfer.status()).isEqualTo(201);
        assertThat(inspect.get(key(database, from))).isEqualTo("5 380 EUR wes"); // version 2
        assertThat(inspect.get(key(database, to))).isEqualTo("3 120 EUR xia"); // version 1
        assertThat(api.balance(customer("wes"), from)).isEqualTo(380);
    }

    @Test
    void olderVersionNeverReplacesNewer() {
        String id = api.openAccount(customer("vic"), "EUR");
        api.deposit(teller("tom"), id, 10, "EUR");
        api.deposit(teller("tom"), id, 10, "EUR");
        UUID account = UUID.fromString(id);
        Settings settings = Settings.load(Map.of("DATABASE_URL", database.url(), "REDIS_URL", redis.url()));

        try (BalanceCache writer = BalanceCache.attach(settings, unused -> Optional.empty(), database::connect).orElseThrow()) {
            awaitTrusted(writer);
            // A late writer that read PostgreSQL before the second deposit must not win...
            writer.begin().committed(List.of(new Balance(account, "EUR", 10, 1, "vic")));
            assertThat(inspect.get(key(database, id))).isEqualTo("5 20 EUR vic");
            // ...while a newer version always does.
            writer.begin().committed(List.of(new Balance(account, "EUR", 25, 3, "vic")));
            assertThat(inspect.get(key(database, id))).isEqualTo("7 25 EUR vic");
        }
    }

    private static void awaitTrusted(BalanceCache cache) {
        CacheTestSupport.await(() -> "UP".equals(cache.health().details().get("epochListener")),
                java.time.Duration.ofSeconds(10), "epoch listener not up");
    }

    @Test
    void provisionalValuesAreNeverServed() {
        String id = api.openAccount(customer("pam"), "EUR");
        api.deposit(teller("tom"), id, 30, "EUR");
        inspect.set(key(database, id), "2 999 EUR pam"); // version 1, but provisional (even rank)

        assertThat(api.balance(customer("pam"), id)).isEqualTo(30);
        assertThat(inspect.get(key(database, id))).isEqualTo("3 30 EUR pam");
    }

    /** Values a bad write or an older format could leave: each is a miss, answered from PostgreSQL and replaced. */
    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "7 25", "x 25 EUR ida", "7 x EUR ida",
            "-3 25 EUR ida", "99999999999999999999999 25 EUR ida", "7 99999999999999999999999 EUR ida",
            "{\"balance\":25}"})
    void malformedCachedBalanceIsReadFromPostgresAndReplaced(String malformed) {
        String id = api.openAccount(customer("ida"), "EUR");
        api.deposit(teller("tom"), id, 40, "EUR");
        inspect.set(key(database, id), malformed);

        Api.Response read = api.get("/v1/accounts/" + id + "/balance", customer("ida"));

        assertThat(read.status()).as("answer for cached value '%s': %s", malformed, read).isEqualTo(200);
        assertThat(read.json().path("balance").asLong()).isEqualTo(40);
        assertThat(inspect.get(key(database, id))).isEqualTo("3 40 EUR ida");
        assertThat(api.balance(customer("ida"), id)).isEqualTo(40);
        assertThat(metric("portbank_cache_malformed_total")).isPositive();
    }

    @Test
    void movementReplacesMalformedCachedBalance() {
        String id = api.openAccount(customer("jo"), "EUR");
        api.balance(customer("jo"), id);
        inspect.set(key(database, id), "garbage");

        api.deposit(teller("tom"), id, 15, "EUR");

        assertThat(inspect.get(key(database, id))).isEqualTo("3 15 EUR jo");
        assertThat(api.balance(customer("jo"), id)).isEqualTo(15);
    }

    @Test
    void settlementAccountsAreNeverCached() {
        String id = api.openAccount(customer("sam"), "NOK");
        api.deposit(teller("tom"), id, 5, "NOK");

        assertThat(inspect.keys("portbank:*").stream().map(inspect::get))
                .noneMatch(value -> value.endsWith(" system"));
    }

    @Test
    void healthShowsTheCacheWithoutMakingItReadinessCritical() {
        String ready = server.admin().get("/observe/health/ready", null).raw();

        assertThat(ready).contains("\"name\":\"cache\"").contains("\"redis\":\"UP\"")
                .contains("\"breaker\":\"CLOSED\"").doesNotContain("password");
    }

    private static double metric(String name) {
        String metrics = server.admin().get("/observe/metrics", null).raw();
        return metrics.lines().filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
