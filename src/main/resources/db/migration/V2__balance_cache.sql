-- The balance cache (Redis) needs, for each committed movement, the owners of the customer accounts it touched,
-- and an epoch: the key prefix every instance reads and writes, moved forward whenever an instance could not
-- bring Redis up to date after a commit (so nothing written before that moment is ever read again).

CREATE TABLE cache_epoch (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),   -- exactly one row
    epoch   bigint  NOT NULL,                              -- the newest epoch: written to from now on
    stable  bigint  NOT NULL,                              -- the newest epoch every live instance uses: read from
    CHECK (stable <= epoch)
);
-- Start from the clock, so a recreated database never reuses the key prefix of an older one in a shared Redis.
INSERT INTO cache_epoch (epoch, stable)
SELECT e, e FROM (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS e) now_ms;

DROP FUNCTION post_movement(text, text, text, text, uuid, uuid, bigint, text, text, text);

-- One money movement in one transaction and one round trip:
--   1. claim the idempotency key (a concurrent holder of the same key makes this wait, then we replay its answer);
--   2. lock both accounts in id order (no deadlocks), check them and the balance under the lock;
--   3. move the money, write the transfer and its two entries, record the outcome under the key.
-- Deposits and withdrawals name one account; the other side is the currency's settlement account.
-- p_owner, when not null, must own the debited account (customers move only their own money).
CREATE FUNCTION post_movement(
    p_principal text, p_key text, p_request_hash text, p_kind text,
    p_from uuid, p_to uuid, p_amount bigint, p_currency text, p_reference text, p_owner text)
RETURNS TABLE (outcome text, replayed boolean, transfer_id uuid, kind text, from_account uuid, to_account uuid,
               amount bigint, currency text, reference text, created_at timestamptz,
               from_balance bigint, from_version bigint, to_balance bigint, to_version bigint,
               from_owner text, to_owner text)
LANGUAGE plpgsql AS $$
DECLARE
    claimed     idempotency_keys%ROWTYPE;
    settlement  uuid;
    debit_id    uuid := p_from;
    credit_id   uuid := p_to;
    debit       accounts%ROWTYPE;
    credit      accounts%ROWTYPE;
    acc         accounts%ROWTYPE;
    verdict     text;
    moved       transfers%ROWTYPE;
BEGIN
    INSERT INTO idempotency_keys AS k (principal, key, request_hash, outcome)
    VALUES (p_principal, p_key, p_request_hash, 'pending')
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        SELECT * INTO claimed FROM idempotency_keys k WHERE k.principal = p_principal AND k.key = p_key;
        IF claimed.request_hash <> p_request_hash THEN
            RETURN QUERY SELECT 'idempotency-key-reused', false, NULL::uuid, NULL::text, NULL::uuid, NULL::uuid,
                NULL::bigint, NULL::text, NULL::text, NULL::timestamptz, NULL::bigint, NULL::bigint, NULL::bigint,
                NULL::bigint, NULL::text, NULL::text;
            RETURN;
        END IF;
        RETURN QUERY SELECT claimed.outcome, true, t.id, t.kind, t.from_account, t.to_account, t.amount,
            t.currency::text, t.reference, t.created_at, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
            NULL::text, NULL::text
            FROM (SELECT 1) AS one LEFT JOIN transfers t ON t.id = claimed.transfer_id;
        RETURN;
    END IF;

    IF p_kind <> 'TRANSFER' THEN
        SELECT a.id INTO settlement FROM accounts a WHERE a.kind = 'SETTLEMENT' AND a.currency = p_currency;
        IF settlement IS NULL THEN
            INSERT INTO accounts (owner, name, currency, kind)
            VALUES ('system', 'settlement ' || p_currency, p_currency, 'SETTLEMENT')
            ON CONFLICT DO NOTHING;
            SELECT a.id INTO settlement FROM accounts a WHERE a.kind = 'SETTLEMENT' AND a.currency = p_currency;
        END IF;
        IF p_kind = 'DEPOSIT' THEN debit_id := settlement; ELSE credit_id := settlement; END IF;
    END IF;

    FOR acc IN SELECT * FROM accounts a WHERE a.id IN (debit_id, credit_id) ORDER BY a.id FOR UPDATE LOOP
        IF acc.id = debit_id THEN debit := acc; ELSE credit := acc; END IF;
    END LOOP;

    verdict := CASE
        WHEN debit.id IS NULL OR credit.id IS NULL THEN 'account-not-found'
        WHEN p_kind = 'TRANSFER' AND (debit.kind <> 'CUSTOMER' OR credit.kind <> 'CUSTOMER') THEN 'account-not-found'
        WHEN p_owner IS NOT NULL AND debit.owner <> p_owner THEN 'account-not-found'
        WHEN debit.status <> 'OPEN' OR credit.status <> 'OPEN' THEN 'account-closed'
        WHEN debit.currency <> p_currency OR credit.currency <> p_currency THEN 'currency-mismatch'
        WHEN debit.kind = 'CUSTOMER' AND debit.balance < p_amount THEN 'insufficient-funds'
        ELSE 'completed'
    END;

    IF verdict <> 'completed' THEN
        UPDATE idempotency_keys k SET outcome = verdict WHERE k.principal = p_principal AND k.key = p_key;
        RETURN QUERY SELECT verdict, false, NULL::uuid, NULL::text, NULL::uuid, NULL::uuid, NULL::bigint,
            NULL::text, NULL::text, NULL::timestamptz, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
            NULL::text, NULL::text;
        RETURN;
    END IF;

    UPDATE accounts a SET balance = a.balance - p_amount, version = a.version + 1 WHERE a.id = debit_id
        RETURNING a.balance, a.version INTO debit.balance, debit.version;
    UPDATE accounts a SET balance = a.balance + p_amount, version = a.version + 1 WHERE a.id = credit_id
        RETURNING a.balance, a.version INTO credit.balance, credit.version;
    INSERT INTO transfers (kind, from_account, to_account, amount, currency, reference, initiated_by)
    VALUES (p_kind, debit_id, credit_id, p_amount, p_currency, p_reference, p_principal)
    RETURNING * INTO moved;
    INSERT INTO entries (transfer_id, account_id, amount, balance_after, created_at)
    VALUES (moved.id, debit_id, -p_amount, debit.balance, moved.created_at),
           (moved.id, credit_id, p_amount, credit.balance, moved.created_at);
    UPDATE idempotency_keys k SET outcome = 'completed', transfer_id = moved.id
        WHERE k.principal = p_principal AND k.key = p_key;

    RETURN QUERY SELECT 'completed', false, moved.id, moved.kind, moved.from_account, moved.to_account, moved.amount,
        moved.currency::text, moved.reference, moved.created_at, debit.balance, debit.version, credit.balance,
        credit.version,
        CASE WHEN debit.kind = 'CUSTOMER' THEN debit.owner END,
        CASE WHEN credit.kind = 'CUSTOMER' THEN credit.owner END;
END
$$;

-- Every instance using the cache: the epoch it now reads and writes, confirmed at seen_at. An instance that advances
-- the epoch waits until every instance seen within the lease has confirmed the new one before it answers, so no
-- read that starts after that answer can use the old epoch. An instance that cannot confirm within its lease stops
-- using the cache.
CREATE UNLOGGED TABLE cache_listeners (
    instance  uuid PRIMARY KEY,
    epoch     bigint      NOT NULL,
    seen_at   timestamptz NOT NULL
);
