package dev.portbank;

import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance killed with SIGKILL while groups are committing, then restarted: every client retries what was not
 * answered with the same key, and every key ends up answered exactly once, with money exact.
 */
class GroupCommitKillIT {
    private static final Pattern LISTENING = Pattern.compile(
            "PortBank listening on http://[^:]+:(\\d+) \\(admin http://[^:]+:(\\d+)\\)");
    private static final int ACCOUNTS = 8;
    private static final int CLIENTS = 16;

    /** One request a client sent: its key, what it asked, and the transfer it was answered with (if any). */
    /** A transfer as sent: the owner, not a token, since each process accepts only the tokens it minted. */
    private record Sent(String key, String owner, Map<String, Object> body) {
    }

    @Test
    void everyRetriedKeyIsAnsweredExactlyOnceAfterAKillMidGroup() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            List<String> accounts = new ArrayList<>();
            Map<Sent, String> answered = new ConcurrentHashMap<>();
            List<Sent> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger refused = new AtomicInteger();
            try (ProcessIT.Child first = ProcessIT.Child.start(env(database))) {
                Api api = api(first);
                Map<String, String> tokens = ownerTokens(api);
                String teller = api.teller("teller");
                for (int i = 0; i < ACCOUNTS; i++) {
                    String id = api.openAccount(tokens.get("owner-" + i), "EUR");
                    api.deposit(teller, id, 100_000, "EUR");
                    accounts.add(id);
                }
                AtomicBoolean killed = new AtomicBoolean();
                List<Future<?>> clients = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
                    for (int c = 0; c < CLIENTS; c++) {
                        clients.add(pool.submit(() -> {
                            while (!killed.get()) {
                                Sent sent = randomTransfer(accounts);
                                send(api, tokens, sent, answered, unanswered, refused);
                            }
                        }));
                    }
                    // Kill mid-load: once a good number of movements went through, so groups are surely in flight.
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (answered.size() < 200 && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    killed.set(true);
                    first.kill();
                }
                for (Future<?> client : clients) {
                    client.get();
                }
            }
            System.out.printf("kill test: %d answered before the kill, %d cut off by it%n", answered.size(),
                    unanswered.size());
            assertThat(answered.size()).as("load was running when the instance was killed").isGreaterThan(100);

            try (ProcessIT.Child second = ProcessIT.Child.start(env(database))) {
                Api api = api(second);
                Map<String, String> tokens = ownerTokens(api);
                Map<Sent, String> retried = new ConcurrentHashMap<>();
                for (Sent sent : List.copyOf(unanswered)) {
                    Api.Response response = api.move("/v1/transfers", tokens.get(sent.owner()), sent.body(),
                            sent.key());
                    assertThat(response.status()).as("retry of %s: %s", sent.key(), response).isIn(201, 422);
                    if (response.status() == 201) {
                        retried.put(sent, response.text("id"));
                    }
                }
                // A sample of answered keys: a retry answers the same transfer, marked as a replay.
                answered.entrySet().stream().limit(50).forEach(entry -> {
                    Api.Response replay = api.move("/v1/transfers", tokens.get(entry.getKey().owner()),
                            entry.getKey().body(),
                            entry.getKey().key());
                    assertThat(replay.status()).isEqualTo(201);
                    assertThat(replay.text("id")).isEqualTo(entry.getValue());
                    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
                });
                answered.putAll(retried);
            }
            checkLedger(database, answered, accounts.size());
        }
    }

    /** Each owner's token from this instance. */
    private static Map<String, String> ownerTokens(Api api) {
        Map<String, String> tokens = new java.util.HashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            tokens.put("owner-" + i, api.customer("owner-" + i));
        }
        return tokens;
    }

    private static void send(Api api, Map<String, String> tokens, Sent sent, Map<Sent, String> answered,
                             List<Sent> unanswered, AtomicInteger refused) {
        try {
            Api.Response response = api.move("/v1/transfers", tokens.get(sent.owner()), sent.body(), sent.key());
            if (response.status() == 201) {
                answered.put(sent, response.text("id"));
            } else if (response.status() == 422) {
                refused.incrementAndGet();
            } else {
                unanswered.add(sent);
            }
        } catch (RuntimeException connectionCut) {
            unanswered.add(sent);
        }
    }

    private static Sent randomTransfer(List<String> accounts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        return new Sent(UUID.randomUUID().toString(), "owner-" + from, Map.of("from", accounts.get(from),
                "to", accounts.get(to), "amount", 1 + random.nextInt(500), "currency", "EUR"));
    }

    private static void checkLedger(TestDatabase database, Map<Sent, String> answered, int deposits)
            throws Exception {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertThat(single(sql, "SELECT count(*) FROM (SELECT currency FROM accounts GROUP BY currency "
                    + "HAVING sum(balance) <> 0) unbalanced")).as("every currency sums to zero").isZero();
            assertThat(single(sql, "SELECT count(*) FROM accounts a WHERE balance <> "
                    + "(SELECT coalesce(sum(amount), 0) FROM entries e WHERE e.account_id = a.id)"))
                    .as("balances equal the sum of their entries").isZero();
            assertThat(single(sql, "SELECT count(*) FROM transfers") - deposits)
                    .as("every transfer in the ledger was answered to its client exactly once")
                    .isEqualTo(answered.size());
            for (Map.Entry<Sent, String> entry : answered.entrySet()) {
                try (ResultSet row = sql.executeQuery("SELECT count(*) FROM transfers WHERE id = '"
                        + UUID.fromString(entry.getValue()) + "'")) {
                    row.next();
                    assertThat(row.getLong(1)).as("transfer %s", entry.getValue()).isEqualTo(1);
                }
            }
        }
    }

    private static long single(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Api api(ProcessIT.Child child) throws InterruptedException {
        Matcher listening = child.awaitLine(LISTENING, Duration.ofSeconds(30));
        return new Api(Integer.parseInt(listening.group(1)));
    }

    private static Map<String, String> env(TestDatabase database) {
        return Map.of("PORT", "0", "ADMIN_PORT", "0", "HOST", "127.0.0.1", "DATABASE_URL", database.url(),
                "AUTH_DEV_MODE", "true", "RATE_LIMIT_PER_SECOND", "0", "RATE_LIMIT_READS_PER_SECOND", "0",
                "RATE_LIMIT_OPENINGS_PER_MINUTE", "0");
    }
}
