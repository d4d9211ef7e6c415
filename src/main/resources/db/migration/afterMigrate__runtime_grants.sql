-- Least privilege for the running service. Migrations run as the role that owns the schema (DATABASE_MIGRATION_URL);
-- when DATABASE_RUNTIME_ROLE names another role, this script (run by Flyway after every migrate, so it follows the
-- schema) grants that role exactly what the service does: no DDL, no TRUNCATE, no UPDATE or DELETE on the ledger
-- (transfers, entries), and on accounts only the columns a movement or a close changes. Owning nothing, the role
-- cannot drop the append-only triggers either.
DO $grants$
DECLARE
    runtime text := '${runtimeRole}';
    here    text := current_schema();
BEGIN
    IF runtime = '' THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime) THEN
        RAISE EXCEPTION 'DATABASE_RUNTIME_ROLE is %, which does not exist: create it first (CREATE ROLE % LOGIN)',
            runtime, runtime;
    END IF;
    IF runtime = current_user THEN
        RAISE EXCEPTION 'DATABASE_RUNTIME_ROLE is %, the role that migrations run as: give the service its own', runtime;
    END IF;
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', here, runtime);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', here, runtime);
    EXECUTE format('GRANT SELECT, INSERT ON accounts, transfers, entries TO %I', runtime);
    EXECUTE format('GRANT UPDATE (balance, version, status) ON accounts TO %I', runtime);
    EXECUTE format('GRANT SELECT, INSERT, DELETE ON idempotency_keys TO %I', runtime);
    EXECUTE format('GRANT SELECT, UPDATE ON cache_epoch TO %I', runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON cache_listeners TO %I', runtime);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', here, runtime);
    -- Readiness compares the applied migrations with the jar's.
    EXECUTE format('GRANT SELECT ON %I.flyway_schema_history TO %I', here, runtime);
    -- Before PostgreSQL 15 every role may create tables in the public schema; only its owner can take that back.
    BEGIN
        EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', here);
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'cannot revoke CREATE on schema % from PUBLIC (not its owner); ask its owner to', here;
    END;
END
$grants$;
