package dev.portbank.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a sound ledger holds, each rule a query counting the rows that break it: money is conserved and never
 * negative, balances and their history agree with the entries, and no reference dangles (the schema no longer
 * checks references row by row since V6: the write path makes them). The tests that load the ledger check them all.
 */
public final class LedgerInvariants {
    private static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put("currencies whose balances do not sum to zero",
                "SELECT count(*) FROM (SELECT currency FROM accounts GROUP BY currency HAVING sum(balance) <> 0) c");
        RULES.put("customer balances below zero",
                "SELECT count(*) FROM accounts WHERE kind = 'CUSTOMER' AND balance < 0");
        RULES.put("balances that are not the sum of their entries", """
                SELECT count(*) FROM accounts a
                WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM entries e WHERE e.account_id = a.id)""");
        RULES.put("entries whose balanceAfter is not the running sum", """
                SELECT count(*) FROM (SELECT balance_after, sum(amount) OVER (PARTITION BY account_id ORDER BY id)
                                      AS running FROM entries) h
                WHERE balance_after <> running""");
        RULES.put("entries of an unknown account",
                "SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id)");
        RULES.put("entries of an unknown transfer",
                "SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = e.transfer_id)");
        RULES.put("transfers from or to an unknown account",
                "SELECT count(*) FROM transfers t WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.from_account)"
                        + " OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.to_account)");
        RULES.put("transfers without their two entries, one on each of its accounts", """
                SELECT count(*) FROM transfers t
                LEFT JOIN (SELECT transfer_id, count(*) AS n FROM entries GROUP BY transfer_id) every
                       ON every.transfer_id = t.id
                LEFT JOIN (SELECT e.transfer_id, count(*) AS n FROM entries e JOIN transfers m ON m.id = e.transfer_id
                           WHERE (e.account_id = m.from_account AND e.amount = -m.amount)
                              OR (e.account_id = m.to_account AND e.amount = m.amount)
                           GROUP BY e.transfer_id) matching ON matching.transfer_id = t.id
                WHERE every.n IS DISTINCT FROM 2 OR matching.n IS DISTINCT FROM 2""");
        RULES.put("idempotency keys of an unknown transfer",
                "SELECT count(*) FROM idempotency_keys k WHERE k.transfer_id IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = k.transfer_id)");
    }

    private LedgerInvariants() {
    }

    /** How many rows break each rule, by rule; all zero in a sound ledger. */
    public static Map<String, Long> count(Connection connection) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement sql = connection.createStatement()) {
            for (var rule : RULES.entrySet()) {
                try (ResultSet row = sql.executeQuery(rule.getValue())) {
                    row.next();
                    counts.put(rule.getKey(), row.getLong(1));
                }
            }
        }
        return counts;
    }

    public static void assertHold(Connection connection) throws SQLException {
        assertThat(count(connection)).as("ledger invariants").allSatisfy((rule, rows) ->
                assertThat(rows).as(rule).isZero());
    }
}
