package dev.portbank.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.portbank.config.DatabaseUrl;
import dev.portbank.config.Settings;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * PostgreSQL as a backing service: a HikariCP pool handed to Helidon's JDBC DbClient, Flyway migrations, and the
 * readiness probe. Closing it closes the pool. Migrations run as the user of {@code DATABASE_MIGRATION_URL} when it
 * is set (the schema's owner), otherwise through the pool.
 */
public final class Database implements AutoCloseable {
    private static final Executor PROBES = Executors.newVirtualThreadPerTaskExecutor();

    private final HikariDataSource pool;
    private final DbClient client;
    /** The versions of the migrations this build carries, to compare with the database's history. */
    private final Set<String> bundledMigrations;
    private final Settings.Database settings;
    private volatile boolean migrated;

    /** The readiness probe must answer within its own timeout (2 s in the chart), whatever PostgreSQL does. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** A server that stops answering at all (no RST, no FIN) is noticed this long after the statement timeout. */
    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(5);

    private Database(HikariDataSource pool, Settings.Database settings) {
        this.pool = pool;
        this.settings = settings;
        this.client = JdbcClientBuilder.create().connectionPool(new HikariConnectionPool(pool)).build();
        this.bundledMigrations = MigrationState.bundledVersions();
        if (bundledMigrations.isEmpty()) {
            throw new IllegalStateException("no versioned migration in " + MigrationState.LOCATION);
        }
    }

    /** Opens the pool, failing fast with an operator-facing message if PostgreSQL cannot be reached. */
    public static Database connect(Settings.Database settings) {
        DatabaseUrl url = settings.url();
        HikariConfig config = new HikariConfig();
        config.setPoolName("portbank");
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.addDataSourceProperty("connectTimeout", Long.toString(settings.connectTimeout().toSeconds()));
        config.addDataSourceProperty("ApplicationName", "portbank");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // Plan every execution with its real arguments. A generic plan, cached by a prepared statement while the
        // ledger was small, keeps scanning whole tables after they grow (autovacuum's statistics lag by a minute),
        // and it guesses ten rows for every unnest() of a group; planning a group's statements costs far less.
        // Every wait of an API connection is bounded: a lock, a statement, and a server that went silent.
        config.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan"
                + " -c statement_timeout=" + settings.statementTimeout().toMillis()
                + " -c lock_timeout=" + settings.lockTimeout().toMillis());
        config.addDataSourceProperty("socketTimeout",
                Long.toString(settings.statementTimeout().plus(SOCKET_MARGIN).toSeconds()));
        try {
            return new Database(new HikariDataSource(config), settings);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StartupException("cannot reach the database at " + url.redacted() + " ("
                    + rootMessage(e) + "); check DATABASE_URL", e);
        }
    }

    public DbClient client() {
        return client;
    }

    /**
     * Applies pending migrations; safe to run from several instances at once (Flyway takes a lock). Flyway opens its
     * own connections (as many as it needs, whatever the pool's size), as the owner when a migration URL is set.
     */
    public MigrateResult migrate() {
        MigrateResult result = migrateAsOwner(settings);
        migrated = true;
        return result;
    }

    /**
     * The start's migration: Flyway runs only when the history lacks a migration this build carries, or when a
     * runtime role is named (its grants, {@code afterMigrate}, follow every migrate). A current schema costs one
     * query instead of Flyway's scan, parse and validation of every migration. The {@code migrate} command always
     * runs Flyway.
     */
    public void migrateOnStart() {
        if (settings.runtimeRole().isEmpty() && schemaIsCurrent()) {
            migrated = true;
            return;
        }
        migrate();
    }

    /**
     * The one-off {@code migrate} command: as the owner when {@code DATABASE_MIGRATION_URL} is set, without opening
     * the service's pool (a migration job needs no runtime credentials). Otherwise the pool is opened first, so that
     * an unreachable server gets the same one-line answer naming {@code DATABASE_URL} as at startup; Flyway still
     * migrates on connections of its own.
     */
    public static MigrateResult migrateOnce(Settings.Database settings) {
        if (settings.migrationUrl().isPresent()) {
            return migrateAsOwner(settings);
        }
        try (Database database = connect(settings)) {
            return database.migrate();
        }
    }

    private static MigrateResult migrateAsOwner(Settings.Database settings) {
        DatabaseUrl owner = settings.migrationUrl().orElse(settings.url());
        return run(flyway(settings).dataSource(owner.jdbcUrl(), owner.user().orElse(null),
                owner.password().orElse(null)).connectRetries(0).load());
    }

    private static MigrateResult run(Flyway flyway) {
        try {
            return flyway.migrate();
        } catch (FlywayValidateException e) {
            // The first line says only that validation failed; the next ones say which migration and why.
            throw new StartupException("migrations failed validation: " + e.getMessage().lines().skip(1)
                    .map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("; "))
                    + "; an applied migration was changed or removed: restore it, or repair the history with Flyway",
                    e);
        } catch (FlywayException e) {
            throw new StartupException("migrations failed: " + rootMessage(e) + "; check DATABASE_MIGRATION_URL "
                    + "(or DATABASE_URL) and DATABASE_RUNTIME_ROLE", e);
        }
    }

    /** The migrations, and the runtime role their grants are for ({@code afterMigrate__runtime_grants.sql}). */
    private static FluentConfiguration flyway(Settings.Database settings) {
        return Flyway.configure().locations("classpath:db/migration").failOnMissingLocations(true)
                .placeholders(Map.of("runtimeRole", settings.runtimeRole().orElse("")));
    }

    /** True once no migration is pending; checked against the database until it is (false while unreachable). */
    public boolean migrationsApplied() {
        if (!migrated) {
            migrated = schemaIsCurrent();
        }
        return migrated;
    }

    private boolean schemaIsCurrent() {
        try (Connection connection = pool.getConnection()) {
            return MigrationState.isCurrent(connection, bundledMigrations);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A pooled connection, for the few callers that need plain JDBC (the caller closes it). */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A round trip to PostgreSQL within {@link #PROBE_TIMEOUT}: false while it is unreachable or restarting, true again
     * once the pool has a working connection (Hikari replaces broken ones by itself).
     */
    public boolean answers() {
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(this::roundTrip, PROBES);
        try {
            return probe.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false; // the round trip goes on in the background and ends within the pool's timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean roundTrip() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            return statement.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    /** Exposes the pool's state as gauges. */
    public void registerMetrics() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        gauge("portbank.db.pool.active", "connections in use", bean::getActiveConnections);
        gauge("portbank.db.pool.idle", "idle connections", bean::getIdleConnections);
        gauge("portbank.db.pool.pending", "threads waiting for a connection", bean::getThreadsAwaitingConnection);
        gauge("portbank.db.pool.max", "pool size", pool::getMaximumPoolSize);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** PostgreSQL's driver hands out timestamptz as Timestamp or OffsetDateTime depending on the call path. */
    public static Instant instant(Object value) {
        return switch (value) {
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime offset -> offset.toInstant();
            case Instant instant -> instant;
            default -> throw new IllegalStateException("not a timestamp: " + value);
        };
    }

    private static void gauge(String name, String description, Supplier<Integer> value) {
        Metrics.globalRegistry().getOrCreate(Gauge.builder(name, value).description(description));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    /** Helidon's DbClient takes connections from this; HikariCP does the pooling. */
    private record HikariConnectionPool(HikariDataSource dataSource) implements JdbcConnectionPool {
        @Override
        public Connection connection() {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("no database connection available", e);
            }
        }

        @Override
        public String dbType() {
            return "postgresql";
        }
    }
}
