package dev.portbank.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting PortBank runs with, typed and validated; built once by {@link #load(Map)}. */
public record Settings(Server server, Database database, Posting posting, Cache cache, Auth auth, Limits limits,
                       Logging logging, Console console) {

    /** The two sockets and how long a stop may drain. */
    public record Server(String host, int port, int adminPort, Duration shutdownDrain) {
    }

    /**
     * Where PostgreSQL is and how PortBank uses it. {@code migrationUrl}, when set, is the schema owner that
     * migrations run as; {@code runtimeRole}, when set, is granted what the running service needs.
     */
    public record Database(DatabaseUrl url, int poolSize, Duration connectTimeout, boolean migrateOnStart,
                           Duration idempotencyRetention, Duration statementTimeout, Duration lockTimeout,
                           Optional<DatabaseUrl> migrationUrl, Optional<String> runtimeRole) {
    }

    /** Group commit of single movements: the most in one transaction, and how many transactions in flight. */
    public record Posting(int groupMax, int groupWorkers) {
    }

    /** The Redis balance cache; {@code url} empty means the cache is detached. */
    public record Cache(Optional<RedisUrl> url, int poolSize, Duration timeout) {
    }

    /**
     * How bearer tokens are verified. {@code rolesClaim} names the claim with the roles (a dotted path reaches into
     * nested claims); {@code issuerAudienceOptional} lets keys go without an issuer and audience to check;
     * {@code devModeAllowRemote} lets development mode bind more than loopback.
     */
    public record Auth(Optional<String> jwksUrl, Optional<String> publicKeyPem, Optional<String> issuer,
                       Optional<String> audience, Duration clockSkew, boolean devMode, String rolesClaim,
                       boolean issuerAudienceOptional, boolean devModeAllowRemote) {
        public static final String DEFAULT_ROLES_CLAIM = "roles";

        /** Roles in {@code roles}; issuer and audience required with keys; dev mode on loopback only. */
        public Auth(Optional<String> jwksUrl, Optional<String> publicKeyPem, Optional<String> issuer,
                    Optional<String> audience, Duration clockSkew, boolean devMode) {
            this(jwksUrl, publicKeyPem, issuer, audience, clockSkew, devMode, DEFAULT_ROLES_CLAIM, false, false);
        }

        /** Real keys verify tokens; when they are configured, development mode is ignored. */
        public boolean keysConfigured() {
            return jwksUrl.isPresent() || publicKeyPem.isPresent();
        }

        /** Development tokens are accepted: dev mode is on and no real key is configured (keys win). */
        public boolean devTokensAccepted() {
            return devMode && !keysConfigured();
        }
    }

    /** The web console: which OpenID provider it signs in with, if any. */
    public record Console(Optional<Oidc> oidc) {
    }

    /** An OpenID provider for the console's authorization-code flow with PKCE: issuer URL, public client, scopes. */
    public record Oidc(URI issuer, String clientId, String scope) {
    }

    /**
     * Abuse limits per principal: money-moving calls, reads and accounts opened; per instance unless {@code shared}
     * keeps the buckets in Redis.
     */
    public record Limits(int movementsPerSecond, int movementBurst, int readsPerSecond, int readBurst,
                         int openingsPerMinute, int openingBurst, boolean shared) {
        public Limits(int movementsPerSecond, int movementBurst, int readsPerSecond, int readBurst,
                      int openingsPerMinute, int openingBurst) {
            this(movementsPerSecond, movementBurst, readsPerSecond, readBurst, openingsPerMinute, openingBurst, false);
        }
    }

    /** Log format ({@code text} or {@code json}) and level. */
    public record Logging(String format, String level) {
        public boolean debug() {
            return "debug".equals(level);
        }
    }

    /** Settings from this environment over {@code application.yaml}. */
    public static Settings load(Map<String, String> env) {
        return from(SettingSource.of(env));
    }

    public static Settings from(SettingSource source) {
        return new Settings(server(source), database(source), posting(source), cache(source), auth(source), limits(source),
                logging(source), console(source));
    }

    private static Server server(SettingSource source) {
        return new Server(source.get(Setting.HOST),
                source.getInt(Setting.PORT, 0, 65535),
                source.getInt(Setting.ADMIN_PORT, 0, 65535),
                Duration.ofSeconds(source.getInt(Setting.SHUTDOWN_DRAIN_SECONDS, 0, 3600)));
    }

    private static Database database(SettingSource source) {
        DatabaseUrl url = DatabaseUrl.parse(source.get(Setting.DATABASE_URL))
                .withCredentials(source.find(Setting.DATABASE_USER), source.find(Setting.DATABASE_PASSWORD));
        return new Database(url,
                source.getInt(Setting.DATABASE_POOL_SIZE, 2, 1000),
                Duration.ofSeconds(source.getInt(Setting.DATABASE_CONNECT_TIMEOUT_SECONDS, 1, 300)),
                source.getBoolean(Setting.DATABASE_MIGRATE_ON_START),
                Duration.ofHours(source.getInt(Setting.IDEMPOTENCY_RETENTION_HOURS, 24, 24 * 365)),
                Duration.ofMillis(source.getInt(Setting.DATABASE_STATEMENT_TIMEOUT_MILLIS, 100, 600_000)),
                Duration.ofMillis(source.getInt(Setting.DATABASE_LOCK_TIMEOUT_MILLIS, 10, 600_000)),
                source.find(Setting.DATABASE_MIGRATION_URL).map(Settings::migrationUrl),
                source.find(Setting.DATABASE_RUNTIME_ROLE).map(Settings::roleName));
    }

    private static DatabaseUrl migrationUrl(String url) {
        try {
            return DatabaseUrl.parse(url);
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException(e.getMessage().replaceFirst("^DATABASE_URL", "DATABASE_MIGRATION_URL"));
        }
    }

    /** A plain PostgreSQL role name: it is written into the grant statements. */
    private static String roleName(String role) {
        if (!role.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new InvalidSettingException("DATABASE_RUNTIME_ROLE must be a lower-case PostgreSQL role name "
                    + "(letters, digits, underscores), got '" + role + "'");
        }
        return role;
    }

    private static Posting posting(SettingSource source) {
        return new Posting(source.getInt(Setting.POSTING_GROUP_MAX, 1, 10_000),
                source.getInt(Setting.POSTING_GROUP_WORKERS, 1, 64));
    }

    private static Cache cache(SettingSource source) {
        Optional<String> password = source.find(Setting.REDIS_PASSWORD);
        Optional<RedisUrl> url = source.find(Setting.REDIS_URL).map(raw -> RedisUrl.parse(raw, password));
        return new Cache(url,
                source.getInt(Setting.REDIS_POOL_SIZE, 1, 10_000),
                Duration.ofMillis(source.getInt(Setting.REDIS_TIMEOUT_MILLIS, 10, 60_000)));
    }

    private static Auth auth(SettingSource source) {
        String rolesClaim = source.get(Setting.AUTH_ROLES_CLAIM);
        if (rolesClaim.startsWith(".") || rolesClaim.endsWith(".") || rolesClaim.contains("..")) {
            throw new InvalidSettingException("AUTH_ROLES_CLAIM must be a claim name or a dotted path such as "
                    + "realm_access.roles, got '" + rolesClaim + "'");
        }
        return new Auth(source.find(Setting.AUTH_JWKS_URL), source.find(Setting.AUTH_PUBLIC_KEY),
                source.find(Setting.AUTH_ISSUER), source.find(Setting.AUTH_AUDIENCE),
                Duration.ofSeconds(source.getInt(Setting.AUTH_CLOCK_SKEW_SECONDS, 0, 600)),
                source.getBoolean(Setting.AUTH_DEV_MODE), rolesClaim,
                source.getBoolean(Setting.AUTH_ISSUER_AUDIENCE_OPTIONAL),
                source.getBoolean(Setting.AUTH_DEV_MODE_ALLOW_REMOTE));
    }

    private static Console console(SettingSource source) {
        Optional<String> issuer = source.find(Setting.AUTH_OIDC_ISSUER);
        Optional<String> clientId = source.find(Setting.AUTH_OIDC_CLIENT_ID);
        if (issuer.isEmpty() && clientId.isEmpty()) {
            return new Console(Optional.empty());
        }
        if (issuer.isEmpty() || clientId.isEmpty()) {
            throw new InvalidSettingException((issuer.isEmpty() ? "AUTH_OIDC_ISSUER" : "AUTH_OIDC_CLIENT_ID")
                    + " must be set too: console sign-in with a provider needs both AUTH_OIDC_ISSUER and "
                    + "AUTH_OIDC_CLIENT_ID");
        }
        return new Console(Optional.of(new Oidc(issuerUrl(issuer.get()), clientId.get(),
                source.get(Setting.AUTH_OIDC_SCOPE))));
    }

    private static URI issuerUrl(String raw) {
        try {
            URI uri = new URI(raw);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidSettingException("AUTH_OIDC_ISSUER must be the provider's issuer URL "
                + "(https://host/realms/name, no query), got '" + raw + "'");
    }

    private static Limits limits(SettingSource source) {
        boolean shared = source.getBoolean(Setting.RATE_LIMIT_SHARED);
        if (shared && source.find(Setting.REDIS_URL).isEmpty()) {
            throw new InvalidSettingException("RATE_LIMIT_SHARED=true keeps the rate-limit buckets in Redis: set "
                    + "REDIS_URL too");
        }
        return new Limits(source.getInt(Setting.RATE_LIMIT_PER_SECOND, 0, 1_000_000),
                source.getInt(Setting.RATE_LIMIT_BURST, 1, 1_000_000),
                source.getInt(Setting.RATE_LIMIT_READS_PER_SECOND, 0, 1_000_000),
                source.getInt(Setting.RATE_LIMIT_READS_BURST, 1, 1_000_000),
                source.getInt(Setting.RATE_LIMIT_OPENINGS_PER_MINUTE, 0, 1_000_000),
                source.getInt(Setting.RATE_LIMIT_OPENINGS_BURST, 1, 1_000_000),
                shared);
    }

    private static Logging logging(SettingSource source) {
        String format = source.get(Setting.LOG_FORMAT).toLowerCase();
        if (!format.equals("text") && !format.equals("json")) {
            throw new InvalidSettingException("LOG_FORMAT must be text or json, got '" + format + "'");
        }
        String level = source.get(Setting.LOG_LEVEL).toLowerCase();
        if (!level.matches("error|warn|warning|info|debug")) {
            throw new InvalidSettingException("LOG_LEVEL must be error, warn, info or debug, got '" + level + "'");
        }
        return new Logging(format, level.equals("warning") ? "warn" : level);
    }
}
