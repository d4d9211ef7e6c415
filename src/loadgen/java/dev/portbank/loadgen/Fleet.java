package dev.portbank.loadgen;

import dev.portbank.loadgen.Transport.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/** The accounts a run opened and funded. The first is the merchant that hot-account transfers pay. */
record Fleet(List<LoadAccount> accounts) {
    /** What a teller deposits into each account before the load: 1,000,000.00 EUR. */
    static final long FUNDING = 100_000_000;

    Fleet {
        accounts = List.copyOf(accounts);
    }

    /**
     * Opens {@code count} accounts, each owned by its own customer principal {@code <runId>-<n>}, and has a teller
     * fund each one; {@code workers} at a time.
     */
    static Fleet open(Transport.Connector connector, TokenSource tokens, String runId, int count, int workers,
                      ExpectedTotal expected) {
        LoadAccount[] opened = new LoadAccount[count];
        String teller = tokens.teller();
        forEachIndex(connector, count, workers, (client, index) -> {
            String ownerToken = tokens.customer(runId + "-" + index);
            Response account = require(client.openAccount(ownerToken, "loadgen " + index), 201, "opening an account");
            String id = BankClient.json(account).path("id").asText();
            require(client.deposit(teller, id, FUNDING), 201, "a teller deposit into a new account");
            expected.deposited(FUNDING);
            opened[index] = new LoadAccount(id, ownerToken);
        });
        return new Fleet(Arrays.asList(opened));
    }

    /** Every account's balance as its owner reads it from the account itself (never a cache). */
    List<Long> balances(Transport.Connector connector, int workers) {
        long[] balances = new long[accounts.size()];
        forEachIndex(connector, accounts.size(), workers, (client, index) -> {
            LoadAccount account = accounts.get(index);
            Response answer = require(client.account(account.ownerToken(), account.id()), 200, "reading an account");
            balances[index] = BankClient.json(answer).path("balance").asLong();
        });
        return Arrays.stream(balances).boxed().toList();
    }

    /**
     * Every {@code parts}-th account starting at {@code part}: disjoint slices for different clients. A slice too small
     * to transfer within is the whole fleet.
     */
    Fleet slice(int part, int parts) {
        List<LoadAccount> slice = IntStream.range(0, accounts.size()).filter(index -> index % parts == part)
                .mapToObj(accounts::get).toList();
        return slice.size() < 2 ? this : new Fleet(slice);
    }

    LoadAccount merchant() {
        return accounts.getFirst();
    }

    LoadAccount any(RandomGenerator random) {
        return accounts.get(random.nextInt(accounts.size()));
    }

    LoadAccount anyBut(LoadAccount excluded, RandomGenerator random) {
        LoadAccount account = any(random);
        while (account.equals(excluded)) {
            account = any(random);
        }
        return account;
    }

    @FunctionalInterface
    private interface IndexedCall {
        void run(BankClient client, int index) throws IOException;
    }

    /** Runs {@code call} for 0..count-1 on {@code workers} virtual threads, each with its own connection. */
    private static void forEachIndex(Transport.Connector connector, int count, int workers, IndexedCall call) {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < Math.min(workers, count); w++) {
                running.add(executor.submit(() -> {
                    try (Transport transport = connector.connect()) {
                        BankClient client = new BankClient(transport);
                        for (int index = next.getAndIncrement(); index < count; index = next.getAndIncrement()) {
                            call.run(client, index);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                awaitOrRethrow(worker);
            }
        }
    }

    private static void awaitOrRethrow(Future<?> worker) {
        try {
            worker.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadGenException("interrupted", e);
        } catch (ExecutionException e) {
            throw switch (e.getCause()) {
                case LoadGenException failure -> failure;
                case IOException unreachable -> new LoadGenException("PortBank does not answer: " + unreachable, e);
                default -> new LoadGenException("set-up failed: " + e.getCause(), e);
            };
        }
    }

    private static Response require(Response response, int status, String action) {
        if (response.status() != status) {
            throw new LoadGenException(action + " answered " + response + hint(response.status()));
        }
        return response;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> "; PortBank refused the token: development tokens need a server with AUTH_DEV_MODE=true, "
                    + "otherwise give BANK_CUSTOMER_TOKEN and BANK_TELLER_TOKEN";
            case 403 -> "; BANK_TELLER_TOKEN must carry the teller role";
            case 429 -> "; PortBank rate-limits money movements: set RATE_LIMIT_PER_SECOND=0 on it or use fewer "
                    + "clients";
            default -> "";
        };
    }
}
