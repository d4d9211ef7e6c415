-- PortBank's ledger. Balances are integer minor units; every movement is a transfer with two balanced entries,
-- so for each currency the sum of all balances (settlement accounts included) is always zero.

CREATE TABLE accounts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- listing order and cursor
    owner       text        NOT NULL,                          -- the principal (token `sub`) that opened it
    name        text        NOT NULL,
    currency    char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    kind        text        NOT NULL DEFAULT 'CUSTOMER' CHECK (kind IN ('CUSTOMER', 'SETTLEMENT')),
    status      text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
    balance     bigint      NOT NULL DEFAULT 0,
    version     bigint      NOT NULL DEFAULT 0,                -- bumped by every movement; orders cached balances
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- The last line of defence against an overdraft, whatever the code above does.
    CONSTRAINT customer_balance_never_negative CHECK (kind = 'SETTLEMENT' OR balance >= 0)
);
CREATE UNIQUE INDEX one_settlement_account_per_currency ON accounts (currency) WHERE kind = 'SETTLEMENT';
CREATE INDEX accounts_by_owner ON accounts (owner, seq) WHERE kind = 'CUSTOMER';

CREATE TABLE transfers (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind          text        NOT NULL CHECK (kind IN ('TRANSFER', 'DEPOSIT', 'WITHDRAWAL')),
    from_account  uuid        NOT NULL REFERENCES accounts (id),
    to_account    uuid        NOT NULL REFERENCES accounts (id),
    amount        bigint      NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
    currency      char(3)     NOT NULL,
    reference     text        NOT NULL DEFAULT '',
    initiated_by  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (from_account <> to_account)
);

CREATE TABLE entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,   -- ledger position; history cursor
    transfer_id    uuid        NOT NULL REFERENCES transfers (id),
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    amount         bigint      NOT NULL CHECK (amount <> 0),           -- + credit, - debit
    balance_after  bigint      NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX entries_by_account ON entries (account_id, id DESC);
CREATE INDEX entries_by_transfer ON entries (transfer_id);

-- The ledger is append-only.
CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Idempotency keys, written in the same transaction as the movement they answer for.
CREATE TABLE idempotency_keys (
    principal     text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    outcome       text        NOT NULL,            -- 'pending', 'completed' or the slug of a refusal
    transfer_id   uuid        REFERENCES transfers (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- One money movement in one transaction and one round trip:
--   1. claim the idempotency key (a concurrent holder of the same key makes this wait, then we replay its answer);
--   2. lock both accounts in id order (no deadlocks), check them and the balance under the lock;
--   3. move the money, write the transfer and its two entries, record the outcome under the key.
-- Deposits and withdrawals name one account; the other side is the currency's settlement account.
-- p_owner, when not null, must own the debited account (customers move only their own money).
-- The answer carries both accounts' new balances, versions and owners (null for a settlement account): the balance
-- cache writes them to Redis before the client is answered.
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
