-- The set-based limit: PortBank's own schema (migrated into a scratch database first) and pgbench as the client.
-- 10,000 accounts with room to spend, and a deterministic pairing of accounts per group from a seed.
INSERT INTO accounts (owner, name, currency, balance)
SELECT 'bench-' || n, 'limit ' || n, 'EUR', 1000000000000 FROM generate_series(1, 10000) n;
CREATE TABLE limit_ids (n integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO limit_ids SELECT row_number() OVER (ORDER BY id) - 1, id FROM accounts;

-- The 200 transfers of one group: distinct accounts on each side, never an account to itself.
CREATE FUNCTION limit_group(seed bigint) RETURNS TABLE (debit uuid, credit uuid, transfer_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT d.id, c.id, md5(seed::text || ':' || g)::uuid
    FROM generate_series(1, 200) g
    JOIN limit_ids d ON d.n = abs(hashint8(seed * 1000 + g)) % 10000
    JOIN limit_ids c ON c.n = (abs(hashint8(seed * 1000 + g)) % 10000 + 1 + abs(hashint8(seed * 1000 - g)) % 9999) % 10000
$$;
