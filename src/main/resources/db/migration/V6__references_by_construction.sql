-- The ledger's references are made by the statement that posts a group, not checked again row by row.
--
-- A foreign key costs PostgreSQL one lookup (with a row lock) per referencing row it inserts: seven for every
-- transfer (two for the transfer, two for each of its entries, one for its idempotency key). On this write path
-- every one of them is already certain when the row is written:
--   * accounts: a group first locks every account it names (TransferRepository's LOCK) and refuses items whose
--     accounts it did not find, and an account is never deleted (closing one sets its status; the triggers below
--     refuse DELETE, TRUNCATE and a changed id, and the runtime role was never granted the first two);
--   * transfers: entries and idempotency keys are inserted by the same statement as the transfer they name, and a
--     transfer is never deleted (transfers_append_only).
-- Measured with bench/run.sh's load (one instance, 32 connections, back to back on one database): batches of
-- 1,000 went from 4,500-7,250 to 19,500-24,100 transfers/s and single transfers from 1,660-2,170 to 2,870-2,970/s
-- once the checks were gone. The tests keep checking that no reference dangles (testing/LedgerInvariants).
ALTER TABLE entries DROP CONSTRAINT entries_account_id_fkey, DROP CONSTRAINT entries_transfer_id_fkey;
ALTER TABLE transfers DROP CONSTRAINT transfers_from_account_fkey, DROP CONSTRAINT transfers_to_account_fkey;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_transfer_id_fkey;

-- Nor is an account's id ever changed, nor are the tables emptied wholesale: without the keys, nothing else would
-- refuse an UPDATE of accounts.id or a TRUNCATE (row triggers do not fire on TRUNCATE).
CREATE TRIGGER accounts_never_deleted BEFORE DELETE OR UPDATE OF id ON accounts
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER accounts_never_truncated BEFORE TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER transfers_never_truncated BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER entries_never_truncated BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
