package dev.portbank.cache;

import dev.portbank.testing.Api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;

/**
 * Writers that each own two accounts, so each knows its exact balances: after every answered movement through one
 * instance, it reads both balances through the other instance and records any difference. Readers hammer every
 * account meanwhile so fills race with writes. Every unexpected status is recorded too.
 */
final class ReadYourWritesLoad {
    private final List<Api> instances;
    private final List<String[]> accountsByWriter = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger movements = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);

    ReadYourWritesLoad(List<Api> instances, int writers) {
        this.instances = instances;
        Api api = instances.getFirst();
        for (int w = 0; w < writers; w++) {
            String owner = "writer-" + w;
            accountsByWriter.add(new String[] {api.openAccount(customer(owner), "EUR"),
                    api.openAccount(customer(owner), "EUR")});
        }
    }

    /** Runs writers and readers until {@link #stop()}; the returned futures end with them. */
    List<Future<?>> start(ExecutorService pool, int readers) {
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < accountsByWriter.size(); w++) {
            int writer = w;
            tasks.add(pool.submit(() -> write(writer)));
        }
        for (int r = 0; r < readers; r++) {
            tasks.add(pool.submit(this::read));
        }
        return tasks;
    }

    void stop() {
        running.set(false);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    int movements() {
        return movements.get();
    }

    int reads() {
        return reads.get();
    }

    List<String> accounts() {
        return accountsByWriter.stream().flatMap(pair -> List.of(pair).stream()).toList();
    }

    static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(threads);
    }

    private void write(int writer) {
        String owner = "writer-" + writer;
        String[] accounts = accountsByWriter.get(writer);
        long[] expected = {0, 0};
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            int via = random.nextInt(instances.size());
            Api api = instances.get(via);
            Api other = instances.get((via + 1) % instances.size());
            int side = random.nextInt(2);
            long amount = 1 + random.nextInt(300);
            int dice = random.nextInt(3);
            Api.Response response;
            String key = UUID.randomUUID().toString();
            if (dice == 0) {
                response = api.move("/v1/deposits", teller("t"), Map.of("account", accounts[side], "amount", amount,
                        "currency", "EUR"), key);
                if (response.status() == 201) {
                    expected[side] += amount;
                }
            } else if (dice == 1) {
                response = api.move("/v1/withdrawals", teller("t"), Map.of("account", accounts[side],
                        "amount", amount, "currency", "EUR"), key);
                if (response.status() == 201) {
                    expected[side] -= amount;
                }
            } else {
                response = api.move("/v1/transfers", customer(owner), Map.of("from", accounts[side],
                        "to", accounts[1 - side], "amount", amount, "currency", "EUR"), key);
                if (response.status() == 201) {
                    expected[side] -= amount;
                    expected[1 - side] += amount;
                }
            }
            if (response.status() != 201 && !(response.status() == 422
                    && response.problem().equals("insufficient-funds"))) {
                violations.add("movement answered " + response);
                continue;
            }
            movements.incrementAndGet();
            for (int i = 0; i < 2; i++) {
                Api.Response balance = other.get("/v1/accounts/" + accounts[i] + "/balance", customer(owner));
                if (balance.status() != 200) {
                    violations.add("balance answered " + balance);
                } else if (balance.json().path("balance").asLong() != expected[i]) {
                    violations.add("stale read of " + accounts[i] + ": " + balance.json().path("balance").asLong()
                            + " after an answered movement left " + expected[i]);
                }
            }
        }
    }

    private void read() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> all = accounts();
        while (running.get()) {
            String account = all.get(random.nextInt(all.size()));
            Api.Response response = instances.get(random.nextInt(instances.size()))
                    .get("/v1/accounts/" + account + "/balance", teller("reader"));
            if (response.status() != 200) {
                violations.add("reader got " + response);
            }
            reads.incrementAndGet();
        }
    }
}
