-- Movements are now posted in groups by set-based statements that PortBank sends (see TransferRepository): each
-- table is written once per group, the idempotency row once, in its final state. The per-movement functions go.
DROP FUNCTION post_batch(text, text, jsonb);
DROP FUNCTION post_movement(text, text, text, text, uuid, uuid, bigint, text, text, text);

-- What became of a movement, stored under its idempotency key and replayed. The labels are the problem slugs; the
-- Java enum `Outcome` has exactly these values (a test compares the two).
CREATE TYPE movement_outcome AS ENUM (
    'completed', 'account-not-found', 'account-closed', 'currency-mismatch', 'insufficient-funds',
    'teller-own-account', 'balance-limit');

-- Rows were only ever 'pending' inside the transaction that wrote them; none is left once committed.
DELETE FROM idempotency_keys WHERE outcome = 'pending';
ALTER TABLE idempotency_keys ALTER COLUMN outcome TYPE movement_outcome USING outcome::movement_outcome;
ALTER TABLE idempotency_keys ADD CONSTRAINT completed_has_transfer
    CHECK ((outcome = 'completed') = (transfer_id IS NOT NULL));
-- The purger scans by age; keys arrive in time order, so a block-range index is enough and costs almost nothing
-- to keep up to date on the write path.
DROP INDEX idempotency_keys_by_age;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys USING brin (created_at);

-- History reads entries by account, newest first: that is the one access path, so it is the primary key, and the
-- separate by-account and by-transfer indexes (the latter used by no query) go.
ALTER TABLE entries DROP CONSTRAINT entries_pkey;
DROP INDEX entries_by_account;
DROP INDEX entries_by_transfer;
ALTER TABLE entries ADD PRIMARY KEY (account_id, id);

-- Settlement accounts belong to nobody a token can name: `sub` "system" must not read them or their movements.
ALTER TABLE accounts ALTER COLUMN owner DROP NOT NULL;
UPDATE accounts SET owner = NULL WHERE kind = 'SETTLEMENT';
ALTER TABLE accounts ADD CONSTRAINT only_settlement_has_no_owner CHECK ((kind = 'SETTLEMENT') = (owner IS NULL));
-- Balance updates touch no indexed column: leave room on each page so they stay heap-only (HOT) updates.
ALTER TABLE accounts SET (fillfactor = 70);
