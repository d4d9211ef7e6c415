package dev.portbank.platform;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a backing-service outage from a bug by the exception chain: the PostgreSQL driver's SQLStates, HikariCP's
 * pool timeout, and whatever Helidon's DbClient wraps them in. One place, so every caller decides alike.
 */
public final class DatabaseFaults {
    /**
     * Server going away or not yet there: admin/crash shutdown, cannot connect now (starting up, in recovery);
     * statement timeout and lock timeout (too slow to answer, not wrong).
     */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "57P05", "57014", "55P03",
            "53300");

    private DatabaseFaults() {
    }

    /** PostgreSQL unreachable, restarting, dropping connections, out of connections or too slow to answer. */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = next(cause)) {
            if (cause instanceof DatabaseUnavailableException || cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connection broke under a statement (dropped, server shutting down): nothing was committed, and a fresh
     * connection may work at once. A pool that had no connection to give within its timeout is not this: waiting
     * again would only double the wait.
     */
    public static boolean isConnectionLost(Throwable e) {
        boolean lost = false;
        for (Throwable cause = e; cause != null; cause = next(cause)) {
            if (cause instanceof SQLTransientConnectionException) {
                return false;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                lost = true;
            }
        }
        return lost;
    }

    /** The first SQLState in the chain. */
    public static Optional<String> sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static Throwable next(Throwable cause) {
        Throwable next = cause.getCause();
        if (next == null && cause instanceof SQLException sql) {
            next = sql.getNextException();
        }
        return next == cause ? null : next;
    }
}
