-- A batch of transfers that commit all or nothing (in the spirit of TigerBeetle's linked batches), in one
-- transaction and one round trip. Each item is an ordinary movement with its own idempotency key; every account the
-- batch touches is locked first, in id order, so batches never deadlock with each other or with single transfers.
-- If any item is refused, the function raises PB001 with every refusal (index and slug) as JSON, which rolls the
-- whole batch back: nothing moves, no key is stored.
-- p_items: [{"key", "hash", "from", "to", "amount", "currency", "reference"}, ...]
CREATE FUNCTION post_batch(p_principal text, p_owner text, p_items jsonb)
RETURNS TABLE (item integer, outcome text, replayed boolean, transfer_id uuid, kind text, from_account uuid,
               to_account uuid, amount bigint, currency text, reference text, created_at timestamptz,
               from_balance bigint, from_version bigint, to_balance bigint, to_version bigint,
               from_owner text, to_owner text)
LANGUAGE plpgsql AS $$
DECLARE
    requested  record;
    moved      record;
    refusals   jsonb := '[]'::jsonb;
BEGIN
    PERFORM 1 FROM accounts a
    WHERE a.id IN (SELECT (e ->> 'from')::uuid FROM jsonb_array_elements(p_items) e
                   UNION SELECT (e ->> 'to')::uuid FROM jsonb_array_elements(p_items) e)
    ORDER BY a.id FOR UPDATE;
    FOR requested IN
        SELECT e.n - 1 AS position, e.value ->> 'key' AS key, e.value ->> 'hash' AS hash,
               (e.value ->> 'from')::uuid AS "from", (e.value ->> 'to')::uuid AS "to",
               (e.value ->> 'amount')::bigint AS amount, e.value ->> 'currency' AS currency,
               e.value ->> 'reference' AS reference
        FROM jsonb_array_elements(p_items) WITH ORDINALITY AS e(value, n)
        ORDER BY e.n
    LOOP
        SELECT * INTO moved FROM post_movement(p_principal, requested.key, requested.hash, 'TRANSFER',
                                               requested."from", requested."to", requested.amount,
                                               requested.currency, requested.reference, p_owner);
        IF moved.outcome <> 'completed' THEN
            refusals := refusals || jsonb_build_object('index', requested.position, 'slug', moved.outcome);
        END IF;
        item := requested.position;
        outcome := moved.outcome;
        replayed := moved.replayed;
        transfer_id := moved.transfer_id;
        kind := moved.kind;
        from_account := moved.from_account;
        to_account := moved.to_account;
        amount := moved.amount;
        currency := moved.currency;
        reference := moved.reference;
        created_at := moved.created_at;
        from_balance := moved.from_balance;
        from_version := moved.from_version;
        to_balance := moved.to_balance;
        to_version := moved.to_version;
        from_owner := moved.from_owner;
        to_owner := moved.to_owner;
        RETURN NEXT;
    END LOOP;
    IF jsonb_array_length(refusals) > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PB001', MESSAGE = refusals::text;
    END IF;
END
$$;
