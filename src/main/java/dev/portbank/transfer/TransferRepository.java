package dev.portbank.transfer;

import dev.portbank.ledger.MovementKind;
import dev.portbank.platform.Database;
import dev.portbank.platform.DatabaseFaults;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The ledger's write path and transfer reads: the SQL of the feature. A group of postings is one transaction of
 * three statements whatever its size: lock every account it names (in id order, so groups never deadlock), read the
 * answers stored under its keys, then write each table once from arrays ({@code unnest}) and update each account
 * once with its summed amount. {@link PostingPlan} decides every item in between.
 */
public final class TransferRepository {
    private static final String LOCK = """
            SELECT a.id, a.owner, a.kind, a.status, a.currency, a.balance, a.version, now() AS now
            FROM accounts a WHERE a.id = ANY(?::uuid[]) ORDER BY a.id FOR UPDATE""";
    private static final String STORED_KEYS = """
            SELECT k.principal, k.key, k.request_hash, k.outcome::text AS outcome, t.id AS transfer_id, t.kind,
                   t.from_account, t.to_account, t.amount, t.currency, t.reference, t.created_at
            FROM unnest(?::text[], ?::text[]) AS r(principal, key)
            JOIN idempotency_keys k ON k.principal = r.principal AND k.key = r.key
            LEFT JOIN transfers t ON t.id = k.transfer_id""";
    /** Keys are inserted in key order, so two groups that share keys wait for each other rather than deadlock. */
    private static final String WRITE = """
            WITH new_transfers AS (
                INSERT INTO transfers (id, kind, from_account, to_account, amount, currency, reference, initiated_by,
                                       created_at)
                SELECT t.id, t.kind, t.debit, t.credit, t.amount, t.currency, t.reference, t.initiated_by, now()
                FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[])
                     WITH ORDINALITY AS t(id, kind, debit, credit, amount, currency, reference, initiated_by, position)
                ORDER BY t.position
            ), new_entries AS (
                INSERT INTO entries (transfer_id, account_id, amount, balance_after, created_at)
                SELECT e.transfer_id, e.account_id, e.amount, e.balance_after, now()
                FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::bigint[])
                     WITH ORDINALITY AS e(transfer_id, account_id, amount, balance_after, position)
                ORDER BY e.position
            ), new_keys AS (
                INSERT INTO idempotency_keys (principal, key, request_hash, outcome, transfer_id)
                SELECT k.principal, k.key, k.request_hash, k.outcome::movement_outcome, k.transfer_id
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::uuid[])
                     AS k(principal, key, request_hash, outcome, transfer_id)
                ORDER BY k.principal, k.key
            )
            UPDATE accounts a SET balance = a.balance + c.delta, version = a.version + c.movements
            FROM unnest(?::uuid[], ?::bigint[], ?::bigint[]) AS c(id, delta, movements)
            WHERE a.id = c.id""";
    private static final String SETTLEMENT = """
            WITH created AS (
                INSERT INTO accounts (owner, name, currency, kind) VALUES (NULL, 'settlement ' || ?, ?, 'SETTLEMENT')
                ON CONFLICT DO NOTHING RETURNING id)
            SELECT id FROM created UNION ALL SELECT id FROM accounts WHERE kind = 'SETTLEMENT' AND currency = ?""";
    private static final String OWNED = """
            SELECT id FROM accounts WHERE id = ANY(?::uuid[]) AND kind = 'CUSTOMER' AND owner = ?""";
    private static final String FIND = """
            SELECT t.id, t.kind, t.from_account, t.to_account, t.amount, t.currency, t.reference, t.created_at,
                   f.owner AS from_owner, d.owner AS to_owner
            FROM transfers t JOIN accounts f ON f.id = t.from_account JOIN accounts d ON d.id = t.to_account
            WHERE t.id = ?::uuid""";
    /**
     * Safe to run the whole group again: serialization failure, deadlock, lock not available, and a key that a
     * concurrent group stored first (the next attempt replays it).
     */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03", "23505");
    private static final int ATTEMPTS = 8;
    /**
     * A connection lost before the commit left nothing behind; a fresh one from the pool may work at once. A pool
     * timeout is not retried: it already waited as long as a client should.
     */
    private static final int CONNECTION_ATTEMPTS = 3;

    private final DbClient db;
    private final Supplier<UUID> newId;
    /** Settlement accounts never change once created. */
    private final Map<String, UUID> settlementByCurrency = new ConcurrentHashMap<>();

    public TransferRepository(DbClient db) {
        this(db, TransferIds::next);
    }

    TransferRepository(DbClient db, Supplier<UUID> newId) {
        this.db = db;
        this.newId = newId;
    }

    /**
     * Posts a group in one transaction. Each posting gets its own result; with {@code allOrNothing} (a batch) any
     * refusal writes nothing at all.
     *
     * @throws OutcomeUnknownException if the commit itself failed: the group may or may not have committed, and
     *                                 each movement's key tells which on the client's retry
     */
    public PostingPlan post(List<Posting> postings, boolean allOrNothing) {
        Map<String, UUID> settlements = settlements(postings);
        String[] accountIds = accountIds(postings, settlements);
        String[][] keys = keyColumns(postings);
        for (int attempt = 1; ; attempt++) {
            try {
                return postOnce(postings, allOrNothing, settlements, accountIds, keys);
            } catch (DbClientException e) {
                boolean again = isTransient(e)
                        || (attempt < CONNECTION_ATTEMPTS && DatabaseFaults.isConnectionLost(e));
                if (attempt >= ATTEMPTS || !again) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private PostingPlan postOnce(List<Posting> postings, boolean allOrNothing, Map<String, UUID> settlements,
                                 String[] accountIds, String[][] keys) {
        DbTransaction tx = db.transaction();
        PostingPlan plan;
        try {
            Map<UUID, PostingPlan.LockedAccount> locked = new HashMap<>();
            Instant now = Instant.EPOCH;
            try (Stream<DbRow> rows = tx.createQuery(LOCK).params(List.of((Object) accountIds)).execute()) {
                for (DbRow row : (Iterable<DbRow>) rows::iterator) {
                    PostingPlan.LockedAccount account = lockedAccount(row);
                    locked.put(account.id(), account);
                    now = Database.instant(row.column("now").get());
                }
            }
            Map<Posting.KeyId, PostingPlan.StoredKey> stored = new HashMap<>();
            try (Stream<DbRow> rows = tx.createQuery(STORED_KEYS).params(List.of(keys[0], keys[1])).execute()) {
                rows.forEach(row -> stored.put(new Posting.KeyId(row.column("principal").get(String.class),
                        row.column("key").get(String.class)), storedKey(row)));
            }
            plan = PostingPlan.decide(postings, locked, stored, settlements, now, newId);
            if (plan.writesNothing() || (allOrNothing && !plan.allCompleted())) {
                tx.rollback();
                return plan;
            }
            tx.createDmlStatement(WRITE).params(writeParameters(plan)).execute();
        } catch (RuntimeException e) {
            rollbackQuietly(tx);
            throw e;
        }
        try {
            tx.commit();
        } catch (RuntimeException e) {
            throw new OutcomeUnknownException(e);
        }
        return plan;
    }

    /** The ids of those accounts that are customer accounts of {@code owner}; read without locks. */
    public Set<UUID> ownedBy(String owner, Collection<UUID> accountIds) {
        String[] ids = accountIds.stream().map(UUID::toString).distinct().toArray(String[]::new);
        try (Stream<DbRow> rows = db.execute().createQuery(OWNED).params(List.of(ids, owner)).execute()) {
            Set<UUID> owned = new HashSet<>();
            rows.forEach(row -> owned.add(row.column("id").get(UUID.class)));
            return owned;
        }
    }

    /** A transfer with the owners of both its accounts (null for a settlement account), for the access check. */
    public Optional<VisibleTransfer> find(UUID id) {
        return db.execute().get(FIND, id).map(row -> new VisibleTransfer(transfer(row, "id"),
                row.column("from_owner").get(String.class), row.column("to_owner").get(String.class)));
    }

    /** A transfer and who may see it. */
    public record VisibleTransfer(Transfer transfer, String fromOwner, String toOwner) {
    }

    /** The settlement account of every currency a deposit or withdrawal of the group names, created when new. */
    private Map<String, UUID> settlements(List<Posting> postings) {
        Map<String, UUID> settlements = new HashMap<>();
        for (Posting posting : postings) {
            if (posting.movement().kind() != MovementKind.TRANSFER) {
                String currency = posting.movement().currency();
                settlements.put(currency, settlementByCurrency.computeIfAbsent(currency, this::settlementAccount));
            }
        }
        return settlements;
    }

    private UUID settlementAccount(String currency) {
        // Empty only when a concurrent call created it after this statement's snapshot: the next one sees it.
        for (int attempt = 1; ; attempt++) {
            Optional<UUID> id = db.execute().get(SETTLEMENT, currency, currency, currency)
                    .map(row -> row.column("id").get(UUID.class));
            if (id.isPresent() || attempt == 3) {
                return id.orElseThrow(() -> new IllegalStateException("no settlement account for " + currency));
            }
        }
    }

    private static String[] accountIds(List<Posting> postings, Map<String, UUID> settlements) {
        Set<UUID> ids = new TreeSet<>();
        for (Posting posting : postings) {
            MovementRequest movement = posting.movement();
            if (movement.from() != null) {
                ids.add(movement.from());
            }
            if (movement.to() != null) {
                ids.add(movement.to());
            }
        }
        ids.addAll(settlements.values());
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static String[][] keyColumns(List<Posting> postings) {
        String[] principals = new String[postings.size()];
        String[] keys = new String[postings.size()];
        for (int i = 0; i < postings.size(); i++) {
            principals[i] = postings.get(i).principal();
            keys[i] = postings.get(i).key();
        }
        return new String[][] {principals, keys};
    }

    private static List<Object> writeParameters(PostingPlan plan) {
        List<PostingPlan.NewTransfer> transfers = plan.transfers();
        List<PostingPlan.NewEntry> entries = plan.entries();
        List<PostingPlan.NewKey> keys = plan.keys();
        List<PostingPlan.AccountChange> changes = plan.changes();
        return List.of(
                column(transfers, t -> t.id().toString()), column(transfers, t -> t.kind().name()),
                column(transfers, t -> t.debit().toString()), column(transfers, t -> t.credit().toString()),
                longs(transfers, PostingPlan.NewTransfer::amount), column(transfers, PostingPlan.NewTransfer::currency),
                column(transfers, PostingPlan.NewTransfer::reference),
                column(transfers, PostingPlan.NewTransfer::initiatedBy),
                column(entries, e -> e.transferId().toString()), column(entries, e -> e.accountId().toString()),
                longs(entries, PostingPlan.NewEntry::amount), longs(entries, PostingPlan.NewEntry::balanceAfter),
                column(keys, PostingPlan.NewKey::principal), column(keys, PostingPlan.NewKey::key),
                column(keys, PostingPlan.NewKey::requestHash), column(keys, k -> k.outcome().slug()),
                column(keys, k -> k.transferId() == null ? null : k.transferId().toString()),
                column(changes, c -> c.account().id().toString()), longs(changes, PostingPlan.AccountChange::delta),
                longs(changes, PostingPlan.AccountChange::movements));
    }

    private static <T> String[] column(List<T> rows, java.util.function.Function<T, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }

    private static <T> long[] longs(List<T> rows, java.util.function.ToLongFunction<T> field) {
        return rows.stream().mapToLong(field).toArray();
    }

    private static PostingPlan.LockedAccount lockedAccount(DbRow row) {
        return new PostingPlan.LockedAccount(row.column("id").get(UUID.class),
                row.column("owner").get(String.class), "SETTLEMENT".equals(row.column("kind").get(String.class)),
                "OPEN".equals(row.column("status").get(String.class)),
                row.column("currency").get(String.class).trim(), row.column("balance").get(Long.class),
                row.column("version").get(Long.class));
    }

    private static PostingPlan.StoredKey storedKey(DbRow row) {
        Outcome outcome = Outcome.ofSlug(row.column("outcome").get(String.class));
        return new PostingPlan.StoredKey(row.column("request_hash").get(String.class), outcome,
                outcome == Outcome.COMPLETED ? transfer(row, "transfer_id") : null);
    }

    static Transfer transfer(DbRow row, String idColumn) {
        MovementKind kind = MovementKind.valueOf(row.column("kind").get(String.class));
        UUID from = row.column("from_account").get(UUID.class);
        UUID to = row.column("to_account").get(UUID.class);
        return new Transfer(row.column(idColumn).get(UUID.class),
                kind, kind == MovementKind.DEPOSIT ? null : from, kind == MovementKind.WITHDRAWAL ? null : to,
                row.column("amount").get(Long.class), row.column("currency").get(String.class).trim(),
                row.column("reference").get(String.class),
                Database.instant(row.column("created_at").get()));
    }

    private static void rollbackQuietly(DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            // The connection is gone or the transaction never started: either way nothing was committed.
        }
    }

    private static boolean isTransient(Throwable e) {
        return DatabaseFaults.sqlState(e).map(TRANSIENT::contains).orElse(false);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a posting", e);
        }
    }
}
