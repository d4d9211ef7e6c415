package dev.portbank.transfer;

import io.helidon.dbclient.DbClient;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes idempotency keys older than the retention, in small batches so no purge holds locks for long. Every
 * instance runs it; concurrent purges only share the work.
 */
public final class IdempotencyPurger implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IdempotencyPurger.class.getName());
    private static final String PURGE = """
            DELETE FROM idempotency_keys WHERE ctid IN (
                SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(secs => ?) LIMIT 5000)""";

    private final DbClient db;
    private final Duration retention;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("idempotency-purger").factory());

    public IdempotencyPurger(DbClient db, Duration retention) {
        this.db = db;
        this.retention = retention;
    }

    public IdempotencyPurger start(Duration every) {
        schedule.scheduleWithFixedDelay(this::purgeQuietly, every.toSeconds(), every.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Deletes every expired key now; returns how many. */
    public long purge() {
        long total = 0;
        long deleted;
        do {
            deleted = db.execute().dml(PURGE, (double) retention.toSeconds());
            total += deleted;
        } while (deleted > 0);
        return total;
    }

    private void purgeQuietly() {
        try {
            long deleted = purge();
            if (deleted > 0) {
                LOG.info("purged " + deleted + " idempotency keys older than " + retention);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "idempotency key purge failed; will retry", e);
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
