package dev.portbank.transfer;

import dev.portbank.testing.Api;
import dev.portbank.testing.LedgerInvariants;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing one database, 32 clients, thousands of random movements with retried keys and overdraft
 * attempts; then every ledger invariant is checked in SQL.
 */
class ConcurrencyTest {
    private static final int ACCOUNTS = 16;
    private static final int CLIENTS = 32;
    private static final int OPERATIONS = 5_000;

    private record Account(String id, String owner, String currency) {
    }

    @Test
    void moneyIsNeverCreatedLostDuplicatedOrOverdrawn() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             TestServer first = TestServer.start(database);
             TestServer second = TestServer.start(database, Map.of("DATABASE_MIGRATE_ON_START", "false"))) {
            List<Api> instances = List.of(first.api(), second.api());
            List<Account> accounts = openAndFund(first.api());
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

            DistributionSummary groupSizes = Metrics.globalRegistry()
                    .getOrCreate(DistributionSummary.builder("portbank.posting.group.size"));
            long groupsBefore = groupSizes.count();
            double postedBefore = groupSizes.totalAmount();
            List<Future<?>> work = new ArrayList<>();
            AtomicInteger remaining = new AtomicInteger(OPERATIONS);
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                for (int c = 0; c < CLIENTS; c++) {
                    work.add(clients.submit(() -> {
                        while (remaining.getAndDecrement() > 0) {
                            randomMovement(instances, accounts, acknowledged, statuses);
                        }
                    }));
                }
            }
            for (Future<?> done : work) {
                done.get();
            }

            assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(201, 422);
            assertThat(statuses.get(201).get()).isGreaterThan(OPERATIONS / 3);
            assertThat(statuses.getOrDefault(422, new AtomicInteger()).get()).as("overdraft attempts").isPositive();
            checkInvariants(database, acknowledged);
            long groups = groupSizes.count() - groupsBefore;
            double posted = groupSizes.totalAmount() - postedBefore;
            assertThat(posted / groups).as("movements per group (%s in %d groups)", posted, groups)
                    .isGreaterThan(1.2);
        }
    }

    private static List<Account> openAndFund(Api api) {
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String owner = "owner-" + i;
            String currency = i % 4 == 3 ? "USD" : "EUR";
            String id = api.openAccount(customer(owner), currency);
            api.deposit(teller("teller"), id, 5_000, currency);
            accounts.add(new Account(id, owner, currency));
        }
        return accounts;
    }

    private static void randomMovement(List<Api> instances, List<Account> accounts, Set<String> acknowledged,
                                       Map<Integer, AtomicInteger> statuses) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Account account = accounts.get(random.nextInt(accounts.size()));
        long amount = 1 + random.nextInt(2_500);
        int dice = random.nextInt(10);
        String path;
        String token;
        Map<String, Object> body;
        if (dice < 8) {
            Account other;
            do {
                other = accounts.get(random.nextInt(accounts.size()));
            } while (other == account || !other.currency().equals(account.currency()));
            path = "/v1/transfers";
            token = customer(account.owner());
            body = Map.of("from", account.id(), "to", other.id(), "amount", amount, "currency", account.currency());
        } else {
            path = dice == 8 ? "/v1/deposits" : "/v1/withdrawals";
            token = teller("teller");
            body = Map.of("account", account.id(), "amount", amount, "currency", account.currency());
        }
        String key = UUID.randomUUID().toString();
        int attempts = random.nextInt(5) == 0 ? 2 : 1; // one in five is retried with the same key
        String firstId = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Api.Response response = instances.get(random.nextInt(instances.size())).move(path, token, body, key);
            statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
            if (response.status() == 201) {
                String id = response.text("id");
                assertThat(firstId == null || firstId.equals(id)).as("a retry returned another transfer").isTrue();
                firstId = id;
                acknowledged.add(id);
            }
        }
    }

    private static void checkInvariants(TestDatabase database, Set<String> acknowledged) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            LedgerInvariants.assertHold(connection);

            Set<String> recorded = new HashSet<>();
            Map<String, Integer> occurrences = new HashMap<>();
            try (ResultSet rows = sql.executeQuery("SELECT id FROM transfers")) {
                while (rows.next()) {
                    recorded.add(rows.getString(1));
                    occurrences.merge(rows.getString(1), 1, Integer::sum);
                }
            }
            assertThat(recorded).as("every acknowledged movement is in the ledger").containsAll(acknowledged);
            assertThat(occurrences.values()).as("exactly once").containsOnly(1);
            long unacknowledged = longs(sql, "SELECT count(*) FROM transfers").getFirst() - ACCOUNTS
                    - acknowledged.size();
            assertThat(unacknowledged).as("no movement that nobody was told about").isZero();
        }
    }

    private static List<Long> longs(Statement sql, String query) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
        }
        return values;
    }
}
