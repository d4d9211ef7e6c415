package dev.portbank.testing;

import dev.portbank.auth.Role;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients moving money the way the README tells them to: every transfer carries an {@code Idempotency-Key}, and a 503
 * or a broken connection is retried with the same key until the movement is answered (201 or a refusal). Balance reads
 * run beside them. Counts every answer, keeps every acknowledged transfer, and the 201s per 100 ms for recovery times.
 * Given several instances, each client starts on one of them and sends every retry to the next, as a client-side
 * load balancer would.
 */
public final class KeyedLoad implements AutoCloseable {
    private static final Duration BUCKET = Duration.ofMillis(100);
    private static final int BUCKETS = 6_000; // ten minutes
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    /** An account and the customer who owns it. */
    public record Account(String id, String owner) {
    }

    /** An acknowledged transfer: what was sent, by whom, and the transfer it was answered with. */
    private record Sent(String owner, Map<String, Object> body, String transferId) {
    }

    /** Where the clients' tokens come from: one that every instance under test accepts. */
    @FunctionalInterface
    public interface Tokens {
        String token(String subject, Role role);
    }

    private final List<Api> apis;
    private final List<Account> accounts;
    private final int clients;
    private final ExecutorService pool;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();
    private final AtomicLongArray createdPerBucket = new AtomicLongArray(BUCKETS);
    private final Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong connectionErrors = new AtomicLong();
    private final AtomicLong unresolved = new AtomicLong();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private final Tokens tokenSource;

    private KeyedLoad(List<Api> apis, List<Account> accounts, int clients, Tokens tokenSource) {
        this.tokenSource = tokenSource;
        this.apis = List.copyOf(apis);
        this.accounts = List.copyOf(accounts);
        this.clients = clients;
        this.pool = Executors.newFixedThreadPool(clients);
    }

    /** Starts {@code clients} clients against {@code api}, moving money between {@code accounts}. */
    public static KeyedLoad start(Api api, List<Account> accounts, int clients, Tokens tokens) {
        return start(List.of(api), accounts, clients, tokens);
    }

    /** Starts {@code clients} clients spread over the instances behind {@code apis}. */
    public static KeyedLoad start(List<Api> apis, List<Account> accounts, int clients, Tokens tokens) {
        KeyedLoad load = new KeyedLoad(apis, accounts, clients, tokens);
        for (int i = 0; i < clients; i++) {
            int client = i;
            load.pool.submit(() -> load.run(client));
        }
        return load;
    }

    /** Opens {@code count} accounts for distinct owners and funds each with {@code deposit} minor units. */
    public static List<Account> openAccounts(Api api, int count, long deposit, Tokens tokens) {
        List<Account> accounts = new ArrayList<>();
        String teller = tokens.token("teller", Role.TELLER);
        for (int i = 0; i < count; i++) {
            String owner = "owner-" + i;
            String id = api.openAccount(tokens.token(owner, Role.CUSTOMER), "EUR");
            api.deposit(teller, id, deposit, "EUR");
            accounts.add(new Account(id, owner));
        }
        return accounts;
    }

    /** Stops sending new movements; every client first settles the key it holds (bounded). */
    public void stop() throws InterruptedException {
        stopping.set(true);
        pool.shutdown();
        if (!pool.awaitTermination(90, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            throw new AssertionError("clients did not settle their last key within 90 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopping.get()) {
            stop();
        }
    }

    private void run(int client) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stopping.get()) {
            if (client % 4 == 3) {
                readBalance(apis.get(random.nextInt(apis.size())), accounts.get(random.nextInt(accounts.size())));
            } else {
                transfer(client, random);
            }
        }
    }

    private void transfer(int client, ThreadLocalRandom random) {
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        Account debit = accounts.get(from);
        Map<String, Object> body = Map.of("from", debit.id(), "to", accounts.get(to).id(),
                "amount", 1 + random.nextInt(500), "currency", "EUR");
        String key = UUID.randomUUID().toString();
        long giveUp = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (int attempt = 0; System.nanoTime() < giveUp; attempt++) {
            if (attempt > 0) {
                retries.incrementAndGet();
                pause();
            }
            Api.Response response;
            try {
                requests.incrementAndGet();
                Api api = apis.get((client + attempt) % apis.size());
                response = api.move("/v1/transfers", token(debit.owner()), body, key);
            } catch (UncheckedIOException | IllegalStateException e) {
                connectionErrors.incrementAndGet();
                continue;
            }
            count(response);
            if (response.status() == 201) {
                Sent previous = acknowledged.putIfAbsent(key, new Sent(debit.owner(), body, response.text("id")));
                if (previous != null && !previous.transferId().equals(response.text("id"))) {
                    failures.add("key " + key + " answered with two transfers: " + previous.transferId() + " and "
                            + response);
                }
                createdPerBucket.incrementAndGet(bucket());
                return;
            }
            if (response.status() == 422) {
                return; // refused (insufficient funds): nothing moved, nothing to retry
            }
            if (response.status() != 503) {
                failures.add("transfer " + key + ": " + response + " Retry-After=" + response.header("Retry-After"));
                return;
            }
        }
        unresolved.incrementAndGet();
    }

    private void readBalance(Api api, Account account) {
        try {
            requests.incrementAndGet();
            Api.Response response = api.get("/v1/accounts/" + account.id() + "/balance", token(account.owner()));
            count(response);
            if (response.status() != 200 && response.status() != 503) {
                failures.add("balance " + account.id() + ": " + response);
            }
            if (response.status() == 503) {
                pause();
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            connectionErrors.incrementAndGet();
            pause();
        }
    }

    private void count(Api.Response response) {
        statuses.computeIfAbsent(response.status(), status -> new AtomicLong()).incrementAndGet();
        if (response.status() == 503 && response.header("Retry-After") == null) {
            failures.add("503 without Retry-After: " + response);
        }
    }

    private String token(String owner) {
        return tokens.computeIfAbsent(owner, name -> tokenSource.token(name, Role.CUSTOMER));
    }

    private int bucket() {
        return (int) Math.min(BUCKETS - 1, (System.nanoTime() - startedNanos) / BUCKET.toNanos());
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Transfers answered 201, by key: the transfer id each client was given. */
    public Map<String, String> acknowledged() {
        Map<String, String> ids = new HashMap<>();
        acknowledged.forEach((key, sent) -> ids.put(key, sent.transferId()));
        return ids;
    }

    /**
     * Sends up to {@code sample} acknowledged transfers again through {@code api}, each with its key and body: every
     * one must answer 201 with the transfer it was first answered with, marked {@code Idempotent-Replayed}. Returns how
     * many were sent.
     */
    public int assertReplays(Api api, int sample) {
        List<Map.Entry<String, Sent>> chosen = acknowledged.entrySet().stream().limit(sample).toList();
        for (Map.Entry<String, Sent> entry : chosen) {
            Sent sent = entry.getValue();
            Api.Response replay = api.move("/v1/transfers", token(sent.owner()), sent.body(), entry.getKey());
            assertThat(replay.status()).as("replay of key %s: %s", entry.getKey(), replay).isEqualTo(201);
            assertThat(replay.text("id")).as("replay of key %s", entry.getKey()).isEqualTo(sent.transferId());
            assertThat(replay.header("Idempotent-Replayed")).as("replay of key %s", entry.getKey()).isEqualTo("true");
        }
        return chosen.size();
    }

    /** Answers by status code. */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    public long count(int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** Answers that no correct PortBank gives under these faults (a 500, a key answered twice, a bare 503). */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public long requests() {
        return requests.get();
    }

    public long retries() {
        return retries.get();
    }

    public long connectionErrors() {
        return connectionErrors.get();
    }

    /** Movements a client gave up on after two minutes of retries. */
    public long unresolved() {
        return unresolved.get();
    }

    /** The System.nanoTime() of now, on this load's clock. */
    public long now() {
        return System.nanoTime();
    }

    /** 201s per second over the {@code window} before {@code atNanos}. */
    public double rateBefore(long atNanos, Duration window) {
        int end = (int) ((atNanos - startedNanos) / BUCKET.toNanos());
        int start = Math.max(0, end - (int) (window.toNanos() / BUCKET.toNanos()));
        long total = 0;
        for (int i = start; i < end && i < BUCKETS; i++) {
            total += createdPerBucket.get(i);
        }
        return end > start ? total * 1e9 / ((end - start) * (double) BUCKET.toNanos()) : 0;
    }

    /**
     * How long after {@code faultNanos} the 201s per 100 ms first came back to half of {@code baselinePerSecond}, or
     * empty if they never did (up to now).
     */
    public java.util.Optional<Duration> recoveredAfter(long faultNanos, double baselinePerSecond) {
        double perBucket = baselinePerSecond * BUCKET.toNanos() / 1e9;
        int from = (int) ((faultNanos - startedNanos) / BUCKET.toNanos());
        int to = bucket();
        for (int i = from; i < to; i++) {
            if (createdPerBucket.get(i) >= perBucket / 2) {
                return java.util.Optional.of(Duration.ofNanos((i + 1) * BUCKET.toNanos()
                        - (faultNanos - startedNanos)));
            }
        }
        return java.util.Optional.empty();
    }

    public int clients() {
        return clients;
    }

    /**
     * The ledger after the load, read through {@code connection}: the transfers are exactly the acknowledged ones,
     * each once ({@code deposits} funded the accounts before the load), and every {@link LedgerInvariants} rule holds.
     */
    public void assertLedgerExact(Connection connection, int deposits) throws SQLException {
        Map<String, String> acknowledged = acknowledged();
        try (Statement sql = connection.createStatement()) {
            assertThat(single(sql, "SELECT count(*) FROM transfers") - deposits)
                    .as("every transfer in the ledger was acknowledged to its client, once").isEqualTo(
                            acknowledged.size());
            assertThat(single(sql, "SELECT count(DISTINCT id) FROM transfers WHERE id = ANY('{"
                    + String.join(",", acknowledged.values()) + "}'::uuid[])"))
                    .as("every acknowledged transfer is in the ledger").isEqualTo(acknowledged.size());
        }
        LedgerInvariants.assertHold(connection);
    }

    private static long single(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
