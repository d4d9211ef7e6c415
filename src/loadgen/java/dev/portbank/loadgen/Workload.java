package dev.portbank.loadgen;

import dev.portbank.loadgen.Transport.Response;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * Performs operations on the fleet and keeps the expected total up to date with every confirmed movement.
 *
 * <p>Batches stay inside one client's own slice of the fleet, so concurrent batches never wait for each other's row
 * locks: with a few thousand accounts, random batches of hundreds would all overlap, a contention that a bank with
 * millions of accounts does not have. Single transfers range over the whole fleet.
 */
final class Workload {
    /** Amounts are 0.01..1.00 EUR, so the funding lasts however long the run. */
    private static final int MAX_AMOUNT = 100;

    private final Fleet fleet;
    private final Fleet batchFleet;
    private final String tellerToken;
    private final int batchSize;
    private final ExpectedTotal expected;

    Workload(Fleet fleet, String tellerToken, int batchSize, ExpectedTotal expected) {
        this(fleet, fleet, tellerToken, batchSize, expected);
    }

    private Workload(Fleet fleet, Fleet batchFleet, String tellerToken, int batchSize, ExpectedTotal expected) {
        this.fleet = fleet;
        this.batchFleet = batchFleet;
        this.tellerToken = tellerToken;
        this.batchSize = batchSize;
        this.expected = expected;
    }

    /** The workload of client {@code client} of {@code clients}: its batches use its own slice of the fleet. */
    Workload forClient(int client, int clients) {
        return new Workload(fleet, fleet.slice(client, clients), tellerToken, batchSize, expected);
    }

    /** The status of an answer and how many units of work it completed (transfers moved, reads answered). */
    record Outcome(int status, int completed) {
        static Outcome of(Response response) {
            return new Outcome(response.status(), response.isSuccess() ? 1 : 0);
        }
    }

    Outcome perform(Operation operation, BankClient client, RandomGenerator random) throws IOException {
        return switch (operation) {
            case TRANSFER -> {
                LoadAccount from = fleet.any(random);
                yield transfer(client, from, fleet.anyBut(from, random), random);
            }
            case PAY_MERCHANT -> transfer(client, fleet.anyBut(fleet.merchant(), random), fleet.merchant(), random);
            case READ_BALANCE -> {
                LoadAccount account = fleet.any(random);
                yield Outcome.of(client.balance(account.ownerToken(), account.id()));
            }
            case BATCH -> batch(client, batchFleet.any(random), random);
            case DEPOSIT -> deposit(client, fleet.any(random), amount(random));
            case WITHDRAW -> withdraw(client, fleet.any(random), amount(random));
            case READ_MISSING -> {
                Response response = client.missing(tellerToken);
                yield new Outcome(response.status(), response.status() == 404 ? 1 : 0);
            }
        };
    }

    private Outcome transfer(BankClient client, LoadAccount from, LoadAccount to, RandomGenerator random)
            throws IOException {
        return Outcome.of(client.transfer(from.ownerToken(), from.id(), to.id(), amount(random)));
    }

    private Outcome batch(BankClient client, LoadAccount from, RandomGenerator random) throws IOException {
        List<BankClient.BatchItem> items = Stream.generate(
                        () -> BankClient.batchItem(from.id(), batchFleet.anyBut(from, random).id(), amount(random)))
                .limit(batchSize)
                .toList();
        Response response = client.batch(from.ownerToken(), items);
        return new Outcome(response.status(), response.isSuccess() ? batchSize : 0);
    }

    private Outcome deposit(BankClient client, LoadAccount account, long amount) throws IOException {
        Response response = client.deposit(tellerToken, account.id(), amount);
        if (response.isSuccess()) {
            expected.deposited(amount);
        }
        return Outcome.of(response);
    }

    private Outcome withdraw(BankClient client, LoadAccount account, long amount) throws IOException {
        Response response = client.withdraw(tellerToken, account.id(), amount);
        if (response.isSuccess()) {
            expected.withdrawn(amount);
        }
        return Outcome.of(response);
    }

    private static long amount(RandomGenerator random) {
        return random.nextInt(1, MAX_AMOUNT + 1);
    }
}
