package dev.portbank.transfer;

import dev.portbank.account.Balance;
import dev.portbank.ledger.MovementKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Decides a group of postings against the locked accounts, in order, and lists what to write: the rules of a
 * movement in one place. Pure: no I/O, so every rule is tested on tables of postings. Each item sees the balances the
 * items before it left (an item may spend what an earlier one brought); a refused item changes nothing; a key seen
 * earlier in the group or stored earlier replays that answer.
 */
public record PostingPlan(List<MovementResult> results, List<NewTransfer> transfers, List<NewEntry> entries,
                          List<NewKey> keys, List<AccountChange> changes) {

    /** An account as locked for the group. {@code owner} is null for a settlement account. */
    public record LockedAccount(UUID id, String owner, boolean settlement, boolean open, String currency,
                                long balance, long version) {
    }

    /** An answer stored under an idempotency key; {@code transfer} is set when the outcome is completed. */
    public record StoredKey(String requestHash, Outcome outcome, Transfer transfer) {
    }

    /** A transfer row: {@code debit} and {@code credit} are accounts (a settlement account for the outside side). */
    public record NewTransfer(UUID id, MovementKind kind, UUID debit, UUID credit, long amount, String currency,
                              String reference, String initiatedBy) {
    }

    /** A ledger entry: signed amount (+ credit, - debit) and the account's balance after it. */
    public record NewEntry(UUID transferId, UUID accountId, long amount, long balanceAfter) {
    }

    /** The idempotency row, written once, in its final state. */
    public record NewKey(String principal, String key, String requestHash, Outcome outcome, UUID transferId) {
    }

    /** One update per account touched: the summed amount and how many movements touched it. */
    public record AccountChange(LockedAccount account, long delta, int movements) {
        public long balance() {
            return account.balance() + delta;
        }

        public long version() {
            return account.version() + movements;
        }
    }

    public PostingPlan {
        results = List.copyOf(results);
        transfers = List.copyOf(transfers);
        entries = List.copyOf(entries);
        keys = List.copyOf(keys);
        changes = List.copyOf(changes);
    }

    /**
     * Decides every posting in order.
     *
     * @param locked      the accounts the postings name, locked, by id
     * @param stored      answers already stored under the postings' keys
     * @param settlements the settlement account of each currency a deposit or withdrawal names
     * @param now         the transaction's timestamp, every new transfer's {@code createdAt}
     * @param newId       transfer ids
     */
    public static PostingPlan decide(List<Posting> postings, Map<UUID, LockedAccount> locked,
                                     Map<Posting.KeyId, StoredKey> stored, Map<String, UUID> settlements,
                                     Instant now, Supplier<UUID> newId) {
        return new Planner(locked, stored, settlements, now, newId).decide(postings);
    }

    /** True when nothing was refused or reused: what an all-or-nothing batch needs to commit. */
    public boolean allCompleted() {
        return results.stream().allMatch(MovementResult.Completed.class::isInstance);
    }

    /** True when every answer is a replay: nothing is written. */
    public boolean writesNothing() {
        return keys.isEmpty();
    }

    /** The new balances of the customer accounts touched (settlement accounts are internal), for the cache. */
    public List<Balance> balances() {
        return changes.stream().filter(change -> !change.account().settlement())
                .map(change -> new Balance(change.account().id(), change.account().currency(), change.balance(),
                        change.version(), change.account().owner()))
                .toList();
    }

    /** The running state of one decision: balances as the items so far left them. */
    private static final class Planner {
        private final Map<UUID, LockedAccount> locked;
        private final Map<Posting.KeyId, StoredKey> stored;
        private final Map<String, UUID> settlements;
        private final Instant now;
        private final Supplier<UUID> newId;
        private final Map<UUID, Running> running = new LinkedHashMap<>();
        private final Map<Posting.KeyId, Decided> decidedKeys = new HashMap<>();
        private final List<MovementResult> results = new ArrayList<>();
        private final List<NewTransfer> transfers = new ArrayList<>();
        private final List<NewEntry> entries = new ArrayList<>();
        private final List<NewKey> keys = new ArrayList<>();

        private Planner(Map<UUID, LockedAccount> locked, Map<Posting.KeyId, StoredKey> stored,
                        Map<String, UUID> settlements, Instant now, Supplier<UUID> newId) {
            this.locked = locked;
            this.stored = stored;
            this.settlements = settlements;
            this.now = now;
            this.newId = newId;
        }

        /** A key decided earlier in this group, and the request it was decided for. */
        private record Decided(String requestHash, MovementResult result) {
        }

        /** An account's balance after the items decided so far. */
        private static final class Running {
            private final LockedAccount account;
            private long balance;
            private int movements;

            private Running(LockedAccount account) {
                this.account = account;
                this.balance = account.balance();
            }
        }

        private PostingPlan decide(List<Posting> postings) {
            for (Posting posting : postings) {
                results.add(decide(posting));
            }
            List<AccountChange> changes = running.values().stream().filter(r -> r.movements > 0)
                    .map(r -> new AccountChange(r.account, r.balance - r.account.balance(), r.movements)).toList();
            return new PostingPlan(results, transfers, entries, keys, changes);
        }

        private MovementResult decide(Posting posting) {
            String hash = posting.movement().fingerprint();
            Decided earlier = decidedKeys.get(posting.keyId());
            if (earlier != null) {
                return earlier.requestHash.equals(hash) ? replay(earlier.result) : new MovementResult.KeyReused();
            }
            StoredKey previous = stored.get(posting.keyId());
            if (previous != null) {
                return !previous.requestHash().equals(hash) ? new MovementResult.KeyReused()
                        : previous.outcome() == Outcome.COMPLETED
                                ? new MovementResult.Completed(previous.transfer(), true)
                                : new MovementResult.Refused(previous.outcome(), true);
            }
            MovementResult result = post(posting, hash);
            decidedKeys.put(posting.keyId(), new Decided(hash, result));
            return result;
        }

        private static MovementResult replay(MovementResult first) {
            return switch (first) {
                case MovementResult.Completed completed -> new MovementResult.Completed(completed.transfer(), true);
                case MovementResult.Refused refused -> new MovementResult.Refused(refused.reason(), true);
                case MovementResult.KeyReused reused -> reused;
            };
        }

        private MovementResult post(Posting posting, String hash) {
            MovementRequest movement = posting.movement();
            UUID settlement = movement.kind() == MovementKind.TRANSFER ? null
                    : settlements.get(movement.currency());
            UUID debitId = movement.kind() == MovementKind.DEPOSIT ? settlement : movement.from();
            UUID creditId = movement.kind() == MovementKind.WITHDRAWAL ? settlement : movement.to();
            Running debit = debitId == null ? null : account(debitId);
            Running credit = creditId == null ? null : account(creditId);
            Outcome outcome = verdict(posting, debit, credit);
            if (outcome != Outcome.COMPLETED) {
                keys.add(new NewKey(posting.principal(), posting.key(), hash, outcome, null));
                return new MovementResult.Refused(outcome, false);
            }
            debit.balance -= movement.amount();
            credit.balance += movement.amount();
            debit.movements++;
            credit.movements++;
            UUID id = newId.get();
            transfers.add(new NewTransfer(id, movement.kind(), debitId, creditId, movement.amount(),
                    movement.currency(), movement.reference(), posting.principal()));
            entries.add(new NewEntry(id, debitId, -movement.amount(), debit.balance));
            entries.add(new NewEntry(id, creditId, movement.amount(), credit.balance));
            keys.add(new NewKey(posting.principal(), posting.key(), hash, Outcome.COMPLETED, id));
            return new MovementResult.Completed(new Transfer(id, movement.kind(), movement.from(), movement.to(),
                    movement.amount(), movement.currency(), movement.reference(), now), false);
        }

        private Running account(UUID id) {
            Running known = running.get(id);
            if (known == null) {
                LockedAccount account = locked.get(id);
                if (account == null) {
                    return null;
                }
                known = new Running(account);
                running.put(id, known);
            }
            return known;
        }

        /** The rules, in the order their refusals take precedence. */
        private static Outcome verdict(Posting posting, Running debit, Running credit) {
            MovementRequest movement = posting.movement();
            if (debit == null || credit == null) {
                return Outcome.ACCOUNT_NOT_FOUND;
            }
            LockedAccount from = debit.account;
            LockedAccount to = credit.account;
            boolean transfer = movement.kind() == MovementKind.TRANSFER;
            if (transfer && (from.settlement() || to.settlement())) {
                return Outcome.ACCOUNT_NOT_FOUND;
            }
            if (transfer && posting.debitMustBeOwn() && !Objects.equals(from.owner(), posting.principal())) {
                return Outcome.ACCOUNT_NOT_FOUND;
            }
            LockedAccount customer = movement.kind() == MovementKind.DEPOSIT ? to : from;
            if (!transfer && customer.settlement()) {
                return Outcome.ACCOUNT_NOT_FOUND;
            }
            if (!transfer && posting.principal().equals(customer.owner())) {
                return Outcome.TELLER_OWN_ACCOUNT;
            }
            if (!from.open() || !to.open()) {
                return Outcome.ACCOUNT_CLOSED;
            }
            if (!from.currency().equals(movement.currency()) || !to.currency().equals(movement.currency())) {
                return Outcome.CURRENCY_MISMATCH;
            }
            if (!from.settlement() && debit.balance < movement.amount()) {
                return Outcome.INSUFFICIENT_FUNDS;
            }
            if (overflows(debit.balance, -movement.amount()) || overflows(credit.balance, movement.amount())) {
                return Outcome.BALANCE_LIMIT;
            }
            return Outcome.COMPLETED;
        }

        private static boolean overflows(long balance, long amount) {
            try {
                Math.addExact(balance, amount);
                return false;
            } catch (ArithmeticException e) {
                return true;
            }
        }
    }
}
