-- One group of 200 transfers per transaction, as bare set-based SQL: lock the accounts in id order, then one
-- statement that inserts the transfers and their two entries each and updates every account once with its sum.
\set seed random(1, 1000000000000)
BEGIN;
SELECT count(*) FROM (SELECT a.id FROM accounts a
    WHERE a.id IN (SELECT debit FROM limit_group(:seed) UNION SELECT credit FROM limit_group(:seed))
    ORDER BY a.id FOR UPDATE) locked;
WITH items AS MATERIALIZED (SELECT * FROM limit_group(:seed)),
new_transfers AS (
    INSERT INTO transfers (id, kind, from_account, to_account, amount, currency, reference, initiated_by)
    SELECT transfer_id, 'TRANSFER', debit, credit, 1, 'EUR', '', 'bench' FROM items
), new_entries AS (
    INSERT INTO entries (transfer_id, account_id, amount, balance_after, created_at)
    SELECT transfer_id, debit, -1, 0, now() FROM items UNION ALL SELECT transfer_id, credit, 1, 0, now() FROM items
)
UPDATE accounts a SET balance = a.balance + m.delta, version = a.version + m.movements
FROM (SELECT id, sum(delta) AS delta, count(*) AS movements
      FROM (SELECT debit AS id, -1 AS delta FROM items UNION ALL SELECT credit, 1 FROM items) moves
      GROUP BY id) m
WHERE a.id = m.id;
COMMIT;
