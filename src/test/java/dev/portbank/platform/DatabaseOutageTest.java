package dev.portbank.platform;

import dev.portbank.testing.Api;
import dev.portbank.testing.TcpProxy;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL cut off (every connection reset, new ones refused, as during a restart or a network failure) under a
 * real PortBank: every call answers 503 {@code database-unavailable} with {@code Retry-After}, never 500 and never
 * hangs; readiness turns DOWN, then UP again by itself once the database is back; the pool heals without a restart,
 * and a retried key moves money exactly once.
 */
@Timeout(120)
class DatabaseOutageTest {
    private static TestDatabase database;
    private static TcpProxy proxy;
    private static TestServer server;
    private static Api api;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        proxy = TcpProxy.to(database.databaseUrl().host(), database.databaseUrl().port());
        server = TestServer.start(database, Map.of(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:" + proxy.port() + "/"
                        + database.databaseUrl().database(),
                "DATABASE_CONNECT_TIMEOUT_SECONDS", "1"));
        api = server.api();
        alice = api.openAccount(customer("alice"), "EUR");
        bob = api.openAccount(customer("bob"), "EUR");
        api.deposit(teller("tom"), alice, 10_000, "EUR");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void outageAnswers503ThenHealsByItself() throws Exception {
        Map<String, Object> transfer = Map.of("from", alice, "to", bob, "amount", 25, "currency", "EUR");
        String key = UUID.randomUUID().toString();
        assertThat(ready()).as("ready before the outage").isEqualTo(200);

        proxy.cut();
        long cutAt = System.nanoTime();
        assertUnavailable(api.move("/v1/transfers", customer("alice"), transfer, key), "transfer");
        assertUnavailable(api.get("/v1/accounts/" + alice + "/balance", customer("alice")), "balance");
        assertUnavailable(api.get("/v1/accounts/" + alice, customer("alice")), "account");
        assertUnavailable(api.get("/v1/accounts/" + alice + "/transactions", customer("alice")), "history");
        assertUnavailable(api.post("/v1/accounts", customer("carol"), Map.of("currency", "EUR", "name", "c")),
                "open account");
        assertUnavailable(api.get("/v1/transfers/" + UUID.randomUUID(), customer("alice")), "transfer lookup");
        await(() -> ready() == 503, Duration.ofSeconds(10), "readiness DOWN while the database is cut off");
        System.out.printf("outage: 503s and readiness DOWN within %d ms of the cut%n",
                Duration.ofNanos(System.nanoTime() - cutAt).toMillis());

        proxy.restore();
        long restoredAt = System.nanoTime();
        await(() -> ready() == 200, Duration.ofSeconds(30), "readiness UP again once the database is back");
        Api.Response retried = api.move("/v1/transfers", customer("alice"), transfer, key);
        System.out.printf("outage: ready and serving %d ms after the database came back%n",
                Duration.ofNanos(System.nanoTime() - restoredAt).toMillis());
        assertThat(retried.status()).as("retry with the same key: %s", retried).isEqualTo(201);
        assertThat(api.move("/v1/transfers", customer("alice"), transfer, key).header("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(api.balance(customer("bob"), bob)).as("the retried transfer moved money once").isEqualTo(25);
    }

    @Test
    void everyCallerOfAFailedGroupGets503() throws Exception {
        proxy.cut();
        List<Future<Api.Response>> calls = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 48; i++) {
                calls.add(clients.submit(() -> api.move("/v1/transfers", customer("alice"),
                        Map.of("from", alice, "to", bob, "amount", 1, "currency", "EUR"))));
            }
            for (Future<Api.Response> call : calls) {
                assertUnavailable(call.get(), "grouped transfer");
            }
        } finally {
            proxy.restore();
        }
        await(() -> ready() == 200, Duration.ofSeconds(30), "readiness UP again");
    }

    private static void assertUnavailable(Api.Response response, String what) {
        assertThat(response.status()).as("%s during the outage: %s", what, response).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problem()).isEqualTo("database-unavailable");
        assertThat(response.header("Retry-After")).as("Retry-After").isEqualTo("1");
    }

    private static int ready() {
        return server.admin().get("/observe/health/ready", null).status();
    }

    private static void await(Supplier<Boolean> condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(100);
        }
    }
}
