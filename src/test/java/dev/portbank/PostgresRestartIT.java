package dev.portbank;

import dev.portbank.testing.Api;
import dev.portbank.testing.KeyedLoad;
import dev.portbank.testing.ScratchPostgres;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarted twice ({@code pg_ctl restart -m fast}) under load, on a scratch server the test owns: no call
 * is ever answered 500, every acknowledged transfer is in the ledger exactly once, money sums to zero, readiness goes
 * DOWN and comes back UP by itself, and throughput is back within seconds.
 */
@Timeout(300)
class PostgresRestartIT {
    private static final int CLIENTS = 16;
    private static final int ACCOUNTS = 12;
    private static final long DEPOSIT = 1_000_000;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(10);

    /** One readiness answer seen by the watcher. */
    private record Readiness(long atNanos, boolean up) {
    }

    @Test
    void restartsUnderLoadAnswer503AndHealWithMoneyExact() throws Exception {
        try (ScratchPostgres postgres = ScratchPostgres.start("portbank");
             TestServer server = TestServer.start(postgres.url("portbank"),
                     Map.of("DATABASE_CONNECT_TIMEOUT_SECONDS", "2"))) {
            Api api = server.api();
            List<KeyedLoad.Account> accounts = KeyedLoad.openAccounts(api, ACCOUNTS, DEPOSIT, api::devToken);
            List<Readiness> readiness = new CopyOnWriteArrayList<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = Thread.ofPlatform().daemon().start(() -> watch(server, readiness, watching));

            KeyedLoad load = KeyedLoad.start(api, accounts, CLIENTS, api::devToken);
            List<long[]> restarts = new ArrayList<>();
            try {
                Thread.sleep(5_000);
                for (int i = 1; i <= 2; i++) {
                    double baseline = load.rateBefore(load.now(), Duration.ofSeconds(3));
                    long issued = load.now();
                    postgres.restartFast();
                    long back = load.now();
                    restarts.add(new long[] {issued, back});
                    Thread.sleep(8_000);
                    Duration recovered = load.recoveredAfter(back, baseline).orElse(null);
                    System.out.printf("postgres restart %d: server down and up in %d ms; transfers back to half "
                                    + "their rate (%.0f/s before) %s after it was up%n", i,
                            Duration.ofNanos(back - issued).toMillis(), baseline,
                            recovered == null ? "never" : recovered.toMillis() + " ms");
                    assertThat(recovered).as("throughput back after restart %d", i).isNotNull();
                    assertThat(recovered).as("throughput back after restart %d", i).isLessThan(RECOVERY_LIMIT);
                }
            } finally {
                load.stop();
                watching.set(false);
                watcher.join(5_000);
            }

            System.out.printf("postgres restarts: %d clients, %d requests, %d retries, answers %s, %d connection "
                            + "errors, %d acknowledged transfers%n", CLIENTS, load.requests(), load.retries(),
                    load.statuses(), load.connectionErrors(), load.acknowledged().size());
            for (long[] restart : restarts) {
                assertThat(sawDownThenUp(readiness, restart[0]))
                        .as("readiness DOWN, then UP again, after the restart at %d", restart[0]).isTrue();
            }
            assertThat(load.failures()).as("answers no client may get").isEmpty();
            assertThat(load.count(500)).as("500s").isZero();
            assertThat(load.count(503)).as("the restarts were noticed by clients").isPositive();
            assertThat(load.unresolved()).as("movements never resolved by retrying their key").isZero();
            assertThat(load.acknowledged()).as("transfers acknowledged").hasSizeGreaterThan(100);
            try (Connection connection = postgres.connect("portbank")) {
                load.assertLedgerExact(connection, ACCOUNTS);
            }
        }
    }

    private static void watch(TestServer server, List<Readiness> seen, AtomicBoolean watching) {
        Api admin = server.admin();
        while (watching.get()) {
            long at = System.nanoTime();
            boolean up;
            try {
                up = admin.get("/observe/health/ready", null).status() == 200;
            } catch (RuntimeException e) {
                up = false;
            }
            seen.add(new Readiness(at, up));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean sawDownThenUp(List<Readiness> seen, long after) {
        boolean down = false;
        for (Readiness readiness : seen) {
            if (readiness.atNanos() < after) {
                continue;
            }
            if (!readiness.up()) {
                down = true;
            } else if (down) {
                return true;
            }
        }
        return false;
    }
}
