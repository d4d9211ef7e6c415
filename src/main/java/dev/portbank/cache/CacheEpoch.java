package dev.portbank.cache;

import dev.portbank.config.DatabaseUrl;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cache epoch: the prefix of every Redis key, kept in PostgreSQL, so that moving to a new epoch makes everything
 * Redis held before unreadable. An instance that could not bring Redis up to date after a commit advances it.
 *
 * <p>A move happens in two steps, because instances hear of it one by one. While the newest epoch is not yet
 * <em>stable</em> (confirmed by every live instance), instances read balances from PostgreSQL only and mark what they
 * write to Redis as provisional, which readers never trust; once it is stable they read it again. The advancing
 * instance answers its client only after every live instance has confirmed the new epoch, so no read that starts
 * after that answer can see the old epoch. Confirmations are leases: an instance that cannot confirm for
 * {@link #LEASE} stops using the cache, and others stop waiting for it after the same time.
 */
public final class CacheEpoch implements AutoCloseable {
    static final String CHANNEL = "portbank_cache_epoch";
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration LEASE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(CacheEpoch.class.getName());
    /** The most an advance may add to a client's call. */
    static final Duration ADVANCE_BUDGET = Duration.ofSeconds(2);
    private static final Duration FENCE_SOCKET_TIMEOUT = Duration.ofSeconds(1);
    private static final String ADVANCE = "WITH advanced AS (UPDATE cache_epoch SET epoch = epoch + 1 RETURNING epoch)"
            + " SELECT epoch, pg_notify('" + CHANNEL + "', epoch::text) FROM advanced";
    private static final String READ = "SELECT epoch, stable FROM cache_epoch";
    private static final String CONFIRM = "INSERT INTO cache_listeners (instance, epoch, seen_at) VALUES (?, ?, now())"
            + " ON CONFLICT (instance) DO UPDATE SET epoch = excluded.epoch, seen_at = excluded.seen_at";
    private static final String LAGGING = "SELECT count(*) FROM cache_listeners WHERE epoch < ?"
            + " AND seen_at > now() - make_interval(secs => ?)";
    /** Anyone may declare the newest epoch stable once every live instance has confirmed it. */
    private static final String STABILIZE = """
            WITH stabilized AS (
                UPDATE cache_epoch SET stable = epoch
                WHERE stable < epoch AND NOT EXISTS (
                    SELECT 1 FROM cache_listeners l
                    WHERE l.epoch < cache_epoch.epoch AND l.seen_at > now() - make_interval(secs => ?))
                RETURNING stable)
            SELECT stable, pg_notify('%s', stable::text) FROM stabilized""".formatted(CHANNEL);
    private static final String FORGET_GONE = "DELETE FROM cache_listeners WHERE seen_at < now() - interval '1 hour'";

    /**
     * Pooled connections, for the goodbye on close. The listener keeps a dedicated one, as LISTEN needs, and advances
     * another, so that a pool exhausted by the API never holds a fence up.
     */
    @FunctionalInterface
    public interface Connections {
        Connection get() throws SQLException;
    }

    /** Where this instance reads and writes now: the newest epoch, the newest stable one, and whether it may read. */
    public record State(long epoch, long stableEpoch, boolean trusted) {
        /** Reads are served from Redis only from a stable newest epoch, under a lease. */
        public boolean stable() {
            return trusted && stableEpoch >= epoch;
        }
    }

    /**
     * A writer between noting where it will write (before its commit) and having written. While any capture of an
     * older epoch is open, this instance confirms only that epoch, so a newer one cannot become stable before every
     * value committed under the older one has been written.
     */
    public final class Capture implements AutoCloseable {
        private final State state;
        private boolean open = true;

        private Capture(State state) {
            this.state = state;
        }

        public State state() {
            return state;
        }

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                inFlight.remove(this);
            }
        }
    }

    private final DatabaseUrl url;
    private final Connections pool;
    private final UUID instance = UUID.randomUUID();
    private final AtomicLong newest = new AtomicLong();
    private final AtomicLong stable = new AtomicLong();
    private final java.util.Set<Capture> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread listener;
    private final Object leaseLock = new Object();
    private final ReentrantLock advancing = new ReentrantLock();
    private final AtomicLong advancesStarted = new AtomicLong();
    /** The sequence number of the newest advance that completed; guarded by {@link #advancing}. */
    private long advanceCompleted;
    /** Guarded by {@link #advancing}. */
    private Connection fence;
    private volatile long leaseUntilNanos;
    private volatile boolean advanceOwed;
    private volatile boolean closed;

    private CacheEpoch(DatabaseUrl url, Connections pool) {
        this.url = url;
        this.pool = pool;
        this.listener = Thread.ofPlatform().daemon().name("cache-epoch-listener").unstarted(this::listen);
        this.leaseUntilNanos = System.nanoTime(); // no lease until the first confirmation
    }

    /** Starts listening for advances and confirming the epoch. */
    public static CacheEpoch start(DatabaseUrl url, Connections pool) {
        CacheEpoch epoch = new CacheEpoch(url, pool);
        epoch.listener.start();
        return epoch;
    }

    /** The newest epoch this instance knows, and whether it may read it (stable, and this instance holds a lease). */
    public State state() {
        long epoch = newest.get();
        return new State(epoch, Math.min(stable.get(), epoch), trusted());
    }

    /** Notes, before a commit, where its balances will be written; close it once they are (or will not be). */
    public Capture capture() {
        Capture capture = new Capture(state());
        inFlight.add(capture);
        return capture;
    }

    public long current() {
        return newest.get();
    }

    /** Whether this instance holds a lease: it confirmed the epoch less than {@link #LEASE} ago. */
    public boolean trusted() {
        return System.nanoTime() - leaseUntilNanos < 0;
    }

    /**
     * Moves every instance to a new, empty epoch and returns once all live instances have confirmed it (or, for one
     * that does not answer, once its lease has run out). Called before answering a client, so it is bounded by
     * {@link #ADVANCE_BUDGET} whatever PostgreSQL does: past it this instance stops using the cache and owes the
     * advance, which its listener makes as soon as PostgreSQL answers, before it takes a lease again. Concurrent calls
     * share one advance: an advance that started after a call began fences that call's balances too.
     */
    public void advance(String reason) {
        long deadline = System.nanoTime() + ADVANCE_BUDGET.toNanos();
        long startedBefore = advancesStarted.get();
        try {
            if (!advancing.tryLock(ADVANCE_BUDGET.toNanos(), TimeUnit.NANOSECONDS)) {
                owe(reason, null);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            owe(reason, null);
            return;
        }
        try {
            if (advanceCompleted > startedBefore) {
                return;
            }
            long sequence = advancesStarted.incrementAndGet();
            SQLException failure = null;
            while (System.nanoTime() - deadline < 0) {
                try {
                    Connection connection = fenceConnection();
                    long advanced = advanceOn(connection);
                    if (awaitConfirmed(connection, advanced, deadline)) {
                        stabilize(connection);
                        advanceCompleted = sequence;
                        LOG.warning("cache epoch advanced to " + advanced + ": " + reason);
                        return;
                    }
                    break;
                } catch (SQLException e) {
                    failure = e;
                    closeFence();
                    sleep(Duration.ofMillis(50));
                }
            }
            owe(reason, failure);
        } finally {
            advancing.unlock();
        }
    }

    /** Whether an advance failed and is still owed (this instance does not use the cache meanwhile). */
    public boolean advanceOwed() {
        return advanceOwed;
    }

    /** Stops using the cache until the owed advance is made: a renewed lease would serve what the advance fences. */
    private void owe(String reason, SQLException failure) {
        synchronized (leaseLock) {
            advanceOwed = true;
            leaseUntilNanos = System.nanoTime();
        }
        LOG.log(Level.SEVERE, "could not advance the cache epoch within " + ADVANCE_BUDGET + " (" + reason
                + "); not using the cache until PostgreSQL answers and the advance is made", failure);
    }

    private long advanceOn(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(ADVANCE)) {
            row.next();
            long advanced = row.getLong(1);
            newest.accumulateAndGet(advanced, Math::max);
            return advanced;
        }
    }

    /** A connection of its own for advances: a pool busy with the API must not hold a fence up. */
    private Connection fenceConnection() throws SQLException {
        if (fence == null || fence.isClosed()) {
            fence = connect("portbank-cache-fence", FENCE_SOCKET_TIMEOUT);
        }
        return fence;
    }

    private void closeFence() {
        if (fence != null) {
            try {
                fence.close();
            } catch (SQLException e) {
                // It is broken anyway.
            }
            fence = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        if (advancing.tryLock()) {
            try {
                closeFence();
            } finally {
                advancing.unlock();
            }
        }
        try (Connection connection = pool.get();
             PreparedStatement forget = connection.prepareStatement("DELETE FROM cache_listeners WHERE instance = ?")) {
            forget.setObject(1, instance);
            forget.executeUpdate();
        } catch (SQLException e) {
            // Its lease runs out on its own.
        }
    }

    /**
     * True once every live instance confirmed {@code epoch}, or once the lease of one that did not has run out; false
     * if {@code budget} ran out first.
     */
    private boolean awaitConfirmed(Connection connection, long epoch, long budget) throws SQLException {
        long leaseOver = System.nanoTime() + LEASE.toNanos() + HEARTBEAT.toNanos();
        try (PreparedStatement lagging = connection.prepareStatement(LAGGING)) {
            lagging.setLong(1, epoch);
            lagging.setDouble(2, LEASE.toMillis() / 1000.0);
            while (System.nanoTime() - leaseOver < 0) {
                if (System.nanoTime() - budget >= 0) {
                    return false;
                }
                try (ResultSet row = lagging.executeQuery()) {
                    row.next();
                    if (row.getLong(1) == 0) {
                        return true;
                    }
                }
                sleep(Duration.ofMillis(1));
            }
        }
        LOG.warning("an instance did not confirm cache epoch " + epoch + " within its lease; it no longer uses it");
        return true;
    }

    private void stabilize(Connection connection) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(STABILIZE)) {
            sql.setDouble(1, LEASE.toMillis() / 1000.0);
            try (ResultSet row = sql.executeQuery()) {
                if (row.next()) {
                    stable.accumulateAndGet(row.getLong(1), Math::max);
                }
            }
        }
    }

    private void listen() {
        long heartbeats = 0;
        while (!closed) {
            try (Connection connection = connect("portbank-cache-epoch", Duration.ofSeconds(5))) {
                try (Statement sql = connection.createStatement()) {
                    sql.execute("LISTEN " + CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                try (PreparedStatement read = connection.prepareStatement(READ);
                     PreparedStatement confirm = connection.prepareStatement(CONFIRM)) {
                    confirm.setObject(1, instance);
                    while (!closed) {
                        if (advanceOwed) {
                            payOwedAdvance(connection);
                        }
                        confirm(read, confirm);
                        stabilize(connection);
                        if (++heartbeats % 300 == 0) {
                            try (Statement sql = connection.createStatement()) {
                                sql.execute(FORGET_GONE);
                            }
                        }
                        // Wakes up at once on an advance or a stabilization, else after one heartbeat.
                        notifications.getNotifications((int) HEARTBEAT.toMillis());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "cache epoch listener lost PostgreSQL; cache unused until it is back", e);
                    sleep(Duration.ofMillis(500));
                }
            }
        }
    }

    /** Makes the advance a request could not make in time; only then may this instance take a lease again. */
    private void payOwedAdvance(Connection connection) throws SQLException {
        advanceOwed = false; // before the advance: an owe() from now on needs an advance of its own
        try {
            long advanced = advanceOn(connection);
            LOG.warning("cache epoch advanced to " + advanced + ": the advance owed since PostgreSQL was unreachable");
        } catch (SQLException | RuntimeException e) {
            advanceOwed = true;
            throw e;
        }
    }

    /**
     * Reads the epochs, starts using them, and only then confirms: a confirmation never claims an epoch this instance
     * is not already using.
     */
    private void confirm(PreparedStatement read, PreparedStatement confirm) throws SQLException {
        long started = System.nanoTime();
        try (ResultSet row = read.executeQuery()) {
            row.next();
            newest.accumulateAndGet(row.getLong(1), Math::max);
            stable.accumulateAndGet(row.getLong(2), Math::max);
        }
        long confirmed = newest.get();
        for (Capture open : inFlight) {
            confirmed = Math.min(confirmed, open.state().epoch());
        }
        confirm.setLong(2, confirmed);
        confirm.executeUpdate();
        synchronized (leaseLock) {
            if (!advanceOwed) {
                leaseUntilNanos = started + LEASE.toNanos();
            }
        }
    }

    private Connection connect(String applicationName, Duration socketTimeout) throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", Long.toString(Math.min(5, socketTimeout.toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
