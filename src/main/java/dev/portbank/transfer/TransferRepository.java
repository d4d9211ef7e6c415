package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.account.AccountRepository;
import dev.portbank.account.Balance;
import dev.portbank.platform.Json;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

import org.postgresql.util.PSQLException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Posts movements through {@code post_movement} (one statement, one transaction) and reads transfers back. */
public final class TransferRepository {
    private static final String POST = "SELECT * FROM post_movement(?, ?, ?, ?, ?::uuid, ?::uuid, ?, ?, ?, ?)";
    private static final String POST_BATCH = "SELECT * FROM post_batch(?, ?, ?::jsonb)";
    /** Raised by {@code post_batch} when any item is refused; its message lists them as JSON. */
    private static final String BATCH_REFUSED = "PB001";
    private static final String FIND = """
            SELECT t.id, t.kind, t.from_account, t.to_account, t.amount, t.currency, t.reference, t.created_at,
                   f.owner AS from_owner, d.owner AS to_owner
            FROM transfers t JOIN accounts f ON f.id = t.from_account JOIN accounts d ON d.id = t.to_account
            WHERE t.id = ?::uuid""";
    /** Serialization failure, deadlock, lock not available: safe to run again, never shown to a client. */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03");
    private static final int ATTEMPTS = 8;

    private final DbClient db;

    public TransferRepository(DbClient db) {
        this.db = db;
    }

    /**
     * Posts one movement under an idempotency key. {@code owner}, when present, must own the debited account.
     */
    public MovementResult post(String principal, String idempotencyKey, MovementRequest request,
                               Optional<String> owner) {
        return retryingTransientFailures(() -> db.execute().get(POST, principal, idempotencyKey,
                        request.fingerprint(), request.kind().name(), request.from(), request.to(), request.amount(),
                        request.currency(), request.reference(), owner.orElse(null))
                .map(TransferRepository::result)
                .orElseThrow(() -> new IllegalStateException("post_movement returned no row")));
    }

    /**
     * Posts a batch all or nothing in one statement. {@code owner}, when present, must own every debited account.
     */
    public BatchResult postBatch(String principal, BatchRequest batch, Optional<String> owner) {
        List<BatchResult.RefusedItem> sameAccount = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>(batch.items().size());
        for (int i = 0; i < batch.items().size(); i++) {
            BatchRequest.Item item = batch.items().get(i);
            MovementRequest transfer = item.transfer();
            if (transfer.sameAccount()) {
                sameAccount.add(new BatchResult.RefusedItem(i, item.id(), "same-account",
                        "from and to must be two different accounts"));
            }
            items.add(Map.of("key", item.id().toString(), "hash", transfer.fingerprint(),
                    "from", transfer.from().toString(), "to", transfer.to().toString(), "amount", transfer.amount(),
                    "currency", transfer.currency(), "reference", transfer.reference()));
        }
        if (!sameAccount.isEmpty()) {
            return new BatchResult.Rejected(sameAccount);
        }
        String json = new String(Json.write(items), StandardCharsets.UTF_8);
        return retryingTransientFailures(() -> {
            try (Stream<DbRow> rows = db.execute().query(POST_BATCH, principal, owner.orElse(null), json)) {
                return committed(rows.toList());
            } catch (DbClientException e) {
                return sqlException(e).filter(sql -> BATCH_REFUSED.equals(sql.getSQLState()))
                        .map(refused -> rejected(refused.getServerErrorMessage().getMessage(), batch))
                        .orElseThrow(() -> e);
            }
        });
    }

    /**
     * Runs one movement statement, again after a serialization failure, deadlock or lock timeout: those are safe to
     * retry and never shown to a client.
     */
    private static <T> T retryingTransientFailures(Supplier<T> statement) {
        for (int attempt = 1; ; attempt++) {
            try {
                return statement.get();
            } catch (DbClientException e) {
                boolean transientFailure = sqlException(e).map(sql -> TRANSIENT.contains(sql.getSQLState()))
                        .orElse(false);
                if (attempt >= ATTEMPTS || !transientFailure) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static BatchResult committed(List<DbRow> rows) {
        List<Transfer> transfers = new ArrayList<>(rows.size());
        Map<UUID, Balance> latest = new HashMap<>();
        boolean allReplayed = true;
        for (DbRow row : rows) {
            transfers.add(transfer(row, "transfer_id"));
            allReplayed &= row.column("replayed").get(Boolean.class);
            for (Balance balance : balances(row)) {
                latest.merge(balance.accountId(), balance, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        return new BatchResult.Committed(transfers, allReplayed, List.copyOf(latest.values()));
    }

    private static BatchResult rejected(String refusalsJson, BatchRequest batch) {
        List<BatchResult.RefusedItem> refusals = new ArrayList<>();
        for (JsonNode refusal : Json.parse(refusalsJson.getBytes(StandardCharsets.UTF_8))) {
            int index = refusal.path("index").asInt();
            String slug = refusal.path("slug").asText();
            String detail = slug.equals("idempotency-key-reused")
                    ? "this item's id was used before with a different transfer"
                    : MovementResult.Refusal.ofSlug(slug).detail();
            refusals.add(new BatchResult.RefusedItem(index, batch.items().get(index).id(), slug, detail));
        }
        return new BatchResult.Rejected(refusals);
    }

    /** The PostgreSQL error under a DbClient exception, if there is one. */
    private static Optional<PSQLException> sqlException(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException sql && sql.getServerErrorMessage() != null) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /** A transfer with the owners of both its accounts, for the access check. */
    public Optional<VisibleTransfer> find(UUID id) {
        return db.execute().get(FIND, id).map(row -> new VisibleTransfer(transfer(row, "id"),
                row.column("from_owner").get(String.class), row.column("to_owner").get(String.class)));
    }

    /** A transfer and who may see it. */
    public record VisibleTransfer(Transfer transfer, String fromOwner, String toOwner) {
    }

    private static MovementResult result(DbRow row) {
        String outcome = row.column("outcome").get(String.class);
        boolean replayed = row.column("replayed").get(Boolean.class);
        return switch (outcome) {
            case "completed" -> new MovementResult.Completed(transfer(row, "transfer_id"), replayed, balances(row));
            case "idempotency-key-reused" -> new MovementResult.KeyReused();
            default -> new MovementResult.Refused(MovementResult.Refusal.ofSlug(outcome), replayed);
        };
    }

    /** The new balances of the customer accounts a completed movement touched (settlement accounts are internal). */
    private static List<Balance> balances(DbRow row) {
        List<Balance> balances = new ArrayList<>(2);
        String currency = row.column("currency").get(String.class).trim();
        for (String side : new String[] {"from", "to"}) {
            Optional<Object> owner = row.column(side + "_owner").asOptional();
            Optional<Object> version = row.column(side + "_version").asOptional();
            if (owner.isPresent() && version.isPresent()) {
                balances.add(new Balance(row.column(side + "_account").get(UUID.class), currency,
                        row.column(side + "_balance").get(Long.class), (Long) version.get(), (String) owner.get()));
            }
        }
        return balances;
    }

    private static Transfer transfer(DbRow row, String idColumn) {
        Transfer.Kind kind = Transfer.Kind.valueOf(row.column("kind").get(String.class));
        UUID from = row.column("from_account").get(UUID.class);
        UUID to = row.column("to_account").get(UUID.class);
        return new Transfer(row.column(idColumn).get(UUID.class),
                kind, kind == Transfer.Kind.DEPOSIT ? null : from, kind == Transfer.Kind.WITHDRAWAL ? null : to,
                row.column("amount").get(Long.class), row.column("currency").get(String.class).trim(),
                row.column("reference").get(String.class),
                AccountRepository.instant(row.column("created_at").get()));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a movement", e);
        }
    }
}
