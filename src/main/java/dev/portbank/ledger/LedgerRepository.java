package dev.portbank.ledger;

import dev.portbank.platform.Database;
import dev.portbank.platform.Page;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/** Reads the ledger; nothing here writes (movements are written by {@code TransferRepository}). */
public final class LedgerRepository {
    private static final String HISTORY = """
            SELECT e.id, e.transfer_id, t.kind, e.amount, e.balance_after, t.reference, e.created_at,
                   CASE WHEN t.kind <> 'TRANSFER' THEN NULL
                        WHEN e.amount < 0 THEN t.to_account ELSE t.from_account END AS counterparty
            FROM entries e JOIN transfers t ON t.id = e.transfer_id
            WHERE e.account_id = ?::uuid AND e.id < ?
            ORDER BY e.id DESC
            LIMIT ?""";

    private final DbClient db;

    public LedgerRepository(DbClient db) {
        this.db = db;
    }

    /** Entries of one account, newest first, strictly older than the cursor position. */
    public Page<Entry> history(UUID accountId, OptionalLong before, int limit) {
        List<Entry> rows;
        try (Stream<DbRow> result = db.execute().query(HISTORY, accountId, before.orElse(Long.MAX_VALUE),
                limit + 1)) {
            rows = result.map(LedgerRepository::entry).toList();
        }
        List<Entry> items = rows.subList(0, Math.min(limit, rows.size()));
        return new Page<>(items, rows.size() > limit ? Page.cursor(items.getLast().position()) : null);
    }

    private static Entry entry(DbRow row) {
        return new Entry(row.column("transfer_id").get(UUID.class),
                MovementKind.valueOf(row.column("kind").get(String.class)),
                row.column("amount").get(Long.class), row.column("balance_after").get(Long.class),
                (UUID) row.column("counterparty").asOptional().orElse(null), row.column("reference").get(String.class),
                Database.instant(row.column("created_at").get()), row.column("id").get(Long.class));
    }
}
