-- The balance cache (Redis) keys every value with an epoch, moved forward whenever an instance could not bring Redis
-- up to date after a commit, so nothing written before that moment is ever read again.

CREATE TABLE cache_epoch (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),   -- exactly one row
    epoch   bigint  NOT NULL,                              -- the newest epoch: written to from now on
    stable  bigint  NOT NULL,                              -- the newest epoch every live instance uses: read from
    CHECK (stable <= epoch)
);
-- Start from the clock, so a recreated database never reuses the key prefix of an older one in a shared Redis.
INSERT INTO cache_epoch (epoch, stable)
SELECT e, e FROM (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS e) now_ms;

-- Every instance using the cache: the epoch it now reads and writes, confirmed at seen_at. An instance that advances
-- the epoch waits until every instance seen within the lease has confirmed the new one before it answers, so no
-- read that starts after that answer can use the old epoch. An instance that cannot confirm within its lease stops
-- using the cache.
CREATE UNLOGGED TABLE cache_listeners (
    instance  uuid PRIMARY KEY,
    epoch     bigint      NOT NULL,
    seen_at   timestamptz NOT NULL
);
