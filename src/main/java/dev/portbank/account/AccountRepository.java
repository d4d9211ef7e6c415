package dev.portbank.account;

import dev.portbank.platform.Database;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/** All SQL about accounts. Settlement accounts are internal: no query here ever returns one. */
public final class AccountRepository {
    private static final String COLUMNS = "id, name, currency, balance, status, created_at, owner, version, seq";
    private static final String OPEN = "INSERT INTO accounts (owner, name, currency) VALUES (?, ?, ?) RETURNING "
            + COLUMNS;
    // A key already taken (committed, or by an opening still in flight, which this waits for) inserts nothing.
    private static final String OPEN_ONCE = "INSERT INTO accounts (owner, name, currency, opening_key)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (owner, opening_key) WHERE opening_key IS NOT NULL DO NOTHING"
            + " RETURNING " + COLUMNS;
    private static final String FIND_OPENED = "SELECT " + COLUMNS + " FROM accounts WHERE owner = ?"
            + " AND opening_key = ? AND kind = 'CUSTOMER'";
    private static final String FIND = "SELECT " + COLUMNS + " FROM accounts WHERE id = ?::uuid AND kind = 'CUSTOMER'";
    private static final String LIST_ALL = "SELECT " + COLUMNS + " FROM accounts WHERE kind = 'CUSTOMER' AND seq > ?"
            + " ORDER BY seq LIMIT ?";
    private static final String LIST_OWNED = "SELECT " + COLUMNS + " FROM accounts WHERE kind = 'CUSTOMER'"
            + " AND owner = ? AND seq > ? ORDER BY seq LIMIT ?";
    private static final String BALANCE = "SELECT id, currency, balance, version, owner FROM accounts"
            + " WHERE id = ?::uuid AND kind = 'CUSTOMER'";
    // Closing takes the row lock a movement takes, so a close and a deposit are strictly ordered.
    private static final String CLOSE = "UPDATE accounts SET status = 'CLOSED' WHERE id = ?::uuid AND kind = 'CUSTOMER'"
            + " AND balance = 0 RETURNING " + COLUMNS;

    private final DbClient db;

    public AccountRepository(DbClient db) {
        this.db = db;
    }

    public Account open(String owner, String name, String currency) {
        return db.execute().get(OPEN, owner, name, currency).map(AccountRepository::account)
                .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING returned no row"));
    }

    /**
     * Opens the account once per {@code key} and owner: the same key again answers the account it opened, if that
     * has this currency and name, and {@link Opening.KeyReused} if not.
     */
    public Opening openOnce(String owner, String name, String currency, String key) {
        Optional<Account> opened = db.execute().get(OPEN_ONCE, owner, name, currency, key)
                .map(AccountRepository::account);
        if (opened.isPresent()) {
            return new Opening.Opened(opened.get(), false);
        }
        // The insert saw a committed row with this key (it waits out one in flight), and accounts are never deleted.
        Account earlier = db.execute().get(FIND_OPENED, owner, key).map(AccountRepository::account)
                .orElseThrow(() -> new IllegalStateException("opening key taken but no account holds it"));
        return earlier.currency().equals(currency) && earlier.name().equals(name)
                ? new Opening.Opened(earlier, true) : new Opening.KeyReused();
    }

    public Optional<Account> find(UUID id) {
        return db.execute().get(FIND, id).map(AccountRepository::account);
    }

    /** Accounts after {@code after} in opening order, all of them or one owner's. */
    public List<Account> list(Optional<String> owner, OptionalLong after, int limit) {
        long from = after.orElse(0);
        try (Stream<DbRow> rows = owner.isPresent()
                ? db.execute().query(LIST_OWNED, owner.get(), from, limit)
                : db.execute().query(LIST_ALL, from, limit)) {
            return rows.map(AccountRepository::account).toList();
        }
    }

    public Optional<Balance> balance(UUID id) {
        return db.execute().get(BALANCE, id).map(row -> new Balance(
                row.column("id").get(UUID.class), row.column("currency").get(String.class),
                row.column("balance").get(Long.class), row.column("version").get(Long.class),
                row.column("owner").get(String.class)));
    }

    /** Closes the account if its balance is zero; empty if it was not (or does not exist). */
    public Optional<Account> closeIfEmpty(UUID id) {
        return db.execute().get(CLOSE, id).map(AccountRepository::account);
    }

    static Account account(DbRow row) {
        return new Account(row.column("id").get(UUID.class), row.column("name").get(String.class),
                row.column("currency").get(String.class), row.column("balance").get(Long.class),
                Account.Status.valueOf(row.column("status").get(String.class)),
                Database.instant(row.column("created_at").get()), row.column("owner").get(String.class),
                row.column("version").get(Long.class), row.column("seq").get(Long.class));
    }
}
