package dev.portbank.config;

import java.util.List;

/**
 * The table of every setting PortBank reads. Environment variables win over {@code application.yaml}; a secret may
 * instead be given as a file by appending {@code _FILE} to its variable name, as Kubernetes mounts secrets.
 */
public enum Setting {
    PORT("server.port", "8080", "API port; 0 binds any free port", List.of("PORT", "SERVER_PORT")),
    HOST("server.host", "0.0.0.0", "Interface both sockets bind", List.of("HOST", "SERVER_HOST")),
    ADMIN_PORT("server.admin-port", "8081", "Admin port: health and metrics; 0 binds any free port",
            List.of("ADMIN_PORT", "SERVER_ADMIN_PORT")),
    SHUTDOWN_DRAIN_SECONDS("server.shutdown-drain-seconds", "20",
            "On SIGTERM, how long requests in flight may still run"),
    DATABASE_URL("db.url", "postgres://postgres@127.0.0.1:5432/portbank",
            "PostgreSQL URL: postgres://, postgresql:// or jdbc:postgresql://", true),
    DATABASE_USER("db.user", "", "Overrides the user in DATABASE_URL"),
    DATABASE_PASSWORD("db.password", "", "Overrides the password in DATABASE_URL", true),
    DATABASE_POOL_SIZE("db.pool-size", "8", "Maximum PostgreSQL connections per instance (at least 2: migrations hold two)"),
    DATABASE_CONNECT_TIMEOUT_SECONDS("db.connect-timeout-seconds", "5",
            "How long to wait for a PostgreSQL connection"),
    DATABASE_STATEMENT_TIMEOUT_MILLIS("db.statement-timeout-millis", "10000",
            "Longest an API statement may run (PostgreSQL statement_timeout); past it the call answers 503"),
    DATABASE_LOCK_TIMEOUT_MILLIS("db.lock-timeout-millis", "2000",
            "Longest an API statement may wait for a row lock (PostgreSQL lock_timeout)"),
    DATABASE_MIGRATE_ON_START("db.migrate-on-start", "true",
            "Apply Flyway migrations at startup (off when a one-off `migrate` job does it)"),
    DATABASE_MIGRATION_URL("db.migration-url", "",
            "PostgreSQL URL of the role that owns the schema, for migrations only; empty: DATABASE_URL migrates", true),
    DATABASE_RUNTIME_ROLE("db.runtime-role", "",
            "Role that migrations grant exactly the privileges the service needs (no DDL, ledger append-only)"),
    IDEMPOTENCY_RETENTION_HOURS("idempotency.retention-hours", "24",
            "How long Idempotency-Key answers are kept before they are purged"),
    POSTING_GROUP_MAX("posting.group-max", "256",
            "Most single movements posted together in one transaction (group commit)"),
    POSTING_GROUP_WORKERS("posting.group-workers", "2",
            "How many groups of movements one instance may have in flight at once"),
    REDIS_URL("redis.url", "", "Balance cache: redis:// or rediss://; empty disables the cache", true),
    REDIS_PASSWORD("redis.password", "", "Overrides the password in REDIS_URL", true),
    REDIS_POOL_SIZE("redis.pool-size", "64", "Maximum Redis connections per instance"),
    REDIS_TIMEOUT_MILLIS("redis.timeout-millis", "250", "Redis connect and command timeout"),
    AUTH_JWKS_URL("auth.jwks-url", "", "Identity provider's JWKS endpoint for token keys"),
    AUTH_PUBLIC_KEY("auth.public-key", "", "PEM public key (RSA or EC) for token signatures", true),
    AUTH_ISSUER("auth.issuer", "", "Required `iss` claim; must be set with token keys"),
    AUTH_AUDIENCE("auth.audience", "", "Required `aud` claim; must be set with token keys"),
    AUTH_ISSUER_AUDIENCE_OPTIONAL("auth.issuer-audience-optional", "false",
            "Let AUTH_ISSUER and AUTH_AUDIENCE stay unset with token keys (for a provider that sets neither)"),
    AUTH_ROLES_CLAIM("auth.roles-claim", "roles",
            "Claim that holds the roles: a name (also namespaced, https://...) or a dotted path (realm_access.roles)"),
    AUTH_CLOCK_SKEW_SECONDS("auth.clock-skew-seconds", "30", "Leeway for exp, nbf and iat"),
    AUTH_DEV_MODE("auth.dev-mode", "false",
            "Local development only: accept tokens from this process's POST /dev/tokens (never in production)"),
    AUTH_DEV_MODE_ALLOW_REMOTE("auth.dev-mode-allow-remote", "false",
            "Let dev mode bind a non-loopback HOST: anyone who reaches the port can mint admin tokens"),
    AUTH_OIDC_ISSUER("auth.oidc-issuer", "",
            "Console sign-in with an OpenID provider: its issuer URL (authorization-code flow with PKCE)"),
    AUTH_OIDC_CLIENT_ID("auth.oidc-client-id", "", "Console sign-in: the public client id registered with the provider"),
    AUTH_OIDC_SCOPE("auth.oidc-scope", "openid", "Console sign-in: the scopes the console asks for"),
    RATE_LIMIT_PER_SECOND("rate-limit.per-second", "100",
            "Money-moving calls per principal per second (0 disables)"),
    RATE_LIMIT_BURST("rate-limit.burst", "200", "Short bursts allowed above the rate"),
    RATE_LIMIT_READS_PER_SECOND("rate-limit.reads-per-second", "200",
            "GET calls per principal per second (0 disables)"),
    RATE_LIMIT_READS_BURST("rate-limit.reads-burst", "400", "Short bursts of reads allowed above the rate"),
    RATE_LIMIT_OPENINGS_PER_MINUTE("rate-limit.openings-per-minute", "10",
            "Accounts one principal may open per minute (0 disables)"),
    RATE_LIMIT_OPENINGS_BURST("rate-limit.openings-burst", "20", "Accounts one principal may open at once"),
    RATE_LIMIT_SHARED("rate-limit.shared", "false",
            "Keep the buckets in Redis (REDIS_URL), shared by every instance; per instance while Redis is unreachable"),
    LOG_FORMAT("log.format", "text", "text or json (one JSON object per line)"),
    LOG_LEVEL("log.level", "info", "error, warn, info or debug (debug also prints stack traces)");

    private final String key;
    private final String defaultValue;
    private final String description;
    private final List<String> envNames;
    private final boolean secret;

    Setting(String key, String defaultValue, String description) {
        this(key, defaultValue, description, false);
    }

    Setting(String key, String defaultValue, String description, boolean secret) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.envNames = null;
        this.secret = secret;
    }

    Setting(String key, String defaultValue, String description, List<String> envNames) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.envNames = envNames;
        this.secret = false;
    }

    /** The {@code application.yaml} key. */
    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Environment variables that set this value, strongest first. */
    public List<String> envNames() {
        return envNames == null ? List.of(name()) : envNames;
    }

    /** The variable users are told to change. */
    public String envName() {
        return envNames().getFirst();
    }

    /** Secrets can come from {@code <ENV>_FILE} and are never logged. */
    public boolean secret() {
        return secret;
    }
}
