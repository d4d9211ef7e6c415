package dev.portbank.cache;

import dev.portbank.config.DatabaseUrl;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cache epoch: the prefix of every Redis key, kept in PostgreSQL. An instance that could not bring Redis up to
 * date after a commit advances it before answering; every instance hears of it through LISTEN/NOTIFY and from then
 * on reads and writes only the new epoch, so whatever Redis held before is never read again. While this instance's
 * LISTEN connection is down it does not trust the cache at all.
 */
public final class CacheEpoch implements AutoCloseable {
    static final String CHANNEL = "portbank_cache_epoch";
    private static final Logger LOG = Logger.getLogger(CacheEpoch.class.getName());
    private static final String ADVANCE = "WITH advanced AS (UPDATE cache_epoch SET epoch = epoch + 1 RETURNING epoch)"
            + " SELECT epoch, pg_notify('" + CHANNEL + "', epoch::text) FROM advanced";
    private static final Duration POLL = Duration.ofMillis(250);

    private final DatabaseUrl url;
    private final AtomicLong current = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean closed;
    private final Thread listener;

    private CacheEpoch(DatabaseUrl url) {
        this.url = url;
        this.listener = Thread.ofPlatform().daemon().name("cache-epoch-listener").unstarted(this::listen);
    }

    /** Reads the current epoch and starts listening for advances. */
    public static CacheEpoch start(DatabaseUrl url) {
        CacheEpoch epoch = new CacheEpoch(url);
        epoch.listener.start();
        return epoch;
    }

    /** The epoch to read and write now. */
    public long current() {
        return current.get();
    }

    /** Whether this instance is sure to hear of every advance (its LISTEN connection is up). */
    public boolean trusted() {
        return listening;
    }

    /** Moves every instance to a new, empty epoch; returns it. Called before answering a client. */
    public long advance(String reason) {
        try (Connection connection = connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(ADVANCE)) {
            row.next();
            long advanced = row.getLong(1);
            moveTo(advanced);
            LOG.warning("cache epoch advanced to " + advanced + ": " + reason);
            return advanced;
        } catch (SQLException e) {
            // PostgreSQL is down too: no movement can commit until it is back, and readers fall back to it anyway.
            listening = false;
            LOG.log(Level.SEVERE, "could not advance the cache epoch; not trusting the cache", e);
            return current.get();
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
    }

    private void listen() {
        while (!closed) {
            try (Connection connection = connect()) {
                try (Statement sql = connection.createStatement()) {
                    sql.execute("LISTEN " + CHANNEL);
                    // Read after LISTEN: an advance between the two is then seen one way or the other.
                    try (ResultSet row = sql.executeQuery("SELECT epoch FROM cache_epoch")) {
                        row.next();
                        moveTo(row.getLong(1));
                    }
                }
                listening = true;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = notifications.getNotifications((int) POLL.toMillis());
                    if (received != null) {
                        for (PGNotification notification : received) {
                            moveTo(Long.parseLong(notification.getParameter()));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    listening = false;
                    LOG.log(Level.WARNING, "cache epoch listener lost PostgreSQL; cache bypassed until it is back",
                            e);
                    pause();
                }
            }
        }
        listening = false;
    }

    private void moveTo(long epoch) {
        current.accumulateAndGet(epoch, Math::max);
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", "portbank-cache-epoch");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
