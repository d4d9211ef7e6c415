package dev.portbank.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The references the schema no longer checks row by row (V6): the write path makes them, the tests that load it
 * check that none dangles and that every transfer has exactly its two entries.
 */
public final class LedgerReferences {
    private static final Map<String, String> DANGLING = new LinkedHashMap<>();

    static {
        DANGLING.put("entries of an unknown account",
                "SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id)");
        DANGLING.put("entries of an unknown transfer",
                "SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = e.transfer_id)");
        DANGLING.put("transfers from or to an unknown account",
                "SELECT count(*) FROM transfers t WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.from_account)"
                        + " OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.to_account)");
        DANGLING.put("transfers without their two entries, one on each of its accounts", """
                SELECT count(*) FROM transfers t
                LEFT JOIN (SELECT transfer_id, count(*) AS n FROM entries GROUP BY transfer_id) every
                       ON every.transfer_id = t.id
                LEFT JOIN (SELECT e.transfer_id, count(*) AS n FROM entries e JOIN transfers m ON m.id = e.transfer_id
                           WHERE (e.account_id = m.from_account AND e.amount = -m.amount)
                              OR (e.account_id = m.to_account AND e.amount = m.amount)
                           GROUP BY e.transfer_id) matching ON matching.transfer_id = t.id
                WHERE every.n IS DISTINCT FROM 2 OR matching.n IS DISTINCT FROM 2""");
        DANGLING.put("idempotency keys of an unknown transfer",
                "SELECT count(*) FROM idempotency_keys k WHERE k.transfer_id IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = k.transfer_id)");
    }

    private LedgerReferences() {
    }

    /** How many rows break each rule, by rule; all zero in a sound ledger. */
    public static Map<String, Long> count(Connection connection) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement sql = connection.createStatement()) {
            for (var rule : DANGLING.entrySet()) {
                try (ResultSet row = sql.executeQuery(rule.getValue())) {
                    row.next();
                    counts.put(rule.getKey(), row.getLong(1));
                }
            }
        }
        return counts;
    }

    public static void assertSound(Connection connection) throws SQLException {
        assertThat(count(connection)).as("ledger references").allSatisfy((rule, rows) ->
                assertThat(rows).as(rule).isZero());
    }
}
