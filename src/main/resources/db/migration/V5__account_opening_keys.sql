-- Opening an account may carry an Idempotency-Key, so a retry after a lost answer (by a client or a proxy) finds
-- the account it opened instead of opening a second one. The key lives on the account it opened, unique per owner
-- as movement keys are unique per principal: the unique index makes two concurrent openings with one key open one
-- account. The account's currency and name are the request, so a replay is checked against them.
ALTER TABLE accounts ADD COLUMN opening_key text
    CHECK (opening_key IS NULL OR (kind = 'CUSTOMER' AND length(opening_key) BETWEEN 1 AND 255));
CREATE UNIQUE INDEX accounts_by_opening_key ON accounts (owner, opening_key) WHERE opening_key IS NOT NULL;
