package dev.portbank;

import dev.portbank.account.AccountRepository;
import dev.portbank.account.AccountService;
import dev.portbank.account.BalanceLookup;
import dev.portbank.auth.Authentication;
import dev.portbank.auth.DevMode;
import dev.portbank.auth.DevTokenCommand;
import dev.portbank.auth.DevTokenService;
import dev.portbank.auth.DevTokens;
import dev.portbank.auth.TokenVerifier;
import dev.portbank.cache.BalanceCache;
import dev.portbank.ratelimit.RateLimiter;
import dev.portbank.ratelimit.ReadLimit;
import dev.portbank.ratelimit.RedisBuckets;
import dev.portbank.config.InvalidSettingException;
import dev.portbank.config.Settings;
import dev.portbank.console.ConsoleService;
import dev.portbank.ledger.LedgerRepository;
import dev.portbank.platform.Database;
import dev.portbank.platform.ErrorHandlers;
import dev.portbank.platform.LogSetup;
import dev.portbank.platform.RequestLog;
import dev.portbank.platform.StartupException;
import dev.portbank.transfer.CommittedMovements;
import dev.portbank.transfer.IdempotencyPurger;
import dev.portbank.transfer.MovementService;
import dev.portbank.transfer.TransferRepository;
import dev.portbank.transfer.TransferService;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import sun.misc.Signal;

import java.io.IOException;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Starts PortBank. {@code java -jar portbank.jar [serve|migrate|healthcheck|token]}: serve is the default; migrate is
 * the one-off admin process that applies migrations and exits; healthcheck asks a running instance's admin socket;
 * token asks a running dev-mode instance for a development token.
 */
public final class Main {
    static final String ADMIN_SOCKET = "admin";
    private static final Logger LOG = Logger.getLogger(Main.class.getName());
    private static final int EXIT_STARTUP_FAILED = 2;

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        Settings settings = settingsOrExit();
        LogSetup.configure(settings.logging().format(), settings.logging().level());
        try {
            switch (command) {
                case "serve" -> serve(settings);
                case "migrate" -> migrate(settings);
                case "healthcheck" -> System.exit(healthcheck(settings) ? 0 : 1);
                case "token" -> System.out.println(DevTokenCommand.run(List.of(args).subList(1, args.length),
                        URI.create("http://127.0.0.1:" + settings.server().port())));
                default -> {
                    System.err.println("usage: java -jar portbank.jar [serve|migrate|healthcheck|token --sub NAME "
                            + "[--role customer|teller|admin]... [--url URL]]");
                    System.exit(EXIT_STARTUP_FAILED);
                }
            }
        } catch (StartupException | InvalidSettingException e) {
            fail(e.getMessage(), e, settings.logging().debug());
        }
    }

    /** Starts a PortBank with these settings: what {@code serve} runs and what tests start. */
    public static PortBank start(Settings settings) {
        DevMode.checkBinding(settings);
        checkPortsFree(settings.server());
        Database database = Database.connect(settings.database());
        try {
            if (settings.database().migrateOnStart()) {
                database.migrateOnStart();
            }
            return start(settings, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static PortBank start(Settings settings, Database database) {
        DevTokens devTokens = DevTokens.ofThisProcess();
        TokenVerifier verifier = TokenVerifier.create(settings.auth(), devTokens);
        AtomicBoolean draining = new AtomicBoolean();
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(verifier);
        database.registerMetrics();
        AccountRepository accounts = new AccountRepository(database.client());
        Optional<BalanceCache> cache = BalanceCache.attach(settings, accounts::balance, database::connection);
        cache.ifPresent(resources::add);
        BalanceLookup balances = cache.<BalanceLookup>map(c -> c).orElse(accounts::balance);
        CommittedMovements committed = cache.<CommittedMovements>map(c -> c).orElse(CommittedMovements.NONE);
        resources.add(new IdempotencyPurger(database.client(), settings.database().idempotencyRetention())
                .start(Duration.ofMinutes(10)));

        Optional<RedisBuckets> sharedLimits = RedisBuckets.attach(settings);
        sharedLimits.ifPresent(resources::add);
        AccountService accountService = new AccountService(accounts, balances,
                new LedgerRepository(database.client()), RateLimiter.openings(settings.limits(), sharedLimits));
        TransferRepository transfers = new TransferRepository(database.client());
        MovementService movements = new MovementService(transfers, committed,
                RateLimiter.movements(settings.limits(), sharedLimits), settings.posting().groupMax(),
                settings.posting().groupWorkers());
        resources.add(movements);
        TransferService transferService = new TransferService(movements, transfers);
        ConsoleService console = ConsoleService.create(settings);
        Optional<DevTokenService> devTokenService = settings.auth().devTokensAccepted()
                ? Optional.of(new DevTokenService(devTokens)) : Optional.empty();

        WebServer server = WebServer.builder()
                .shutdownHook(false)
                .host(settings.server().host())
                .port(settings.server().port())
                .shutdownGracePeriod(settings.server().shutdownDrain())
                .maxPayloadSize(1024 * 1024)
                // Small responses go out at once: Nagle's algorithm plus delayed ACKs stalls keep-alive clients.
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing -> routing(routing, verifier, RateLimiter.reads(settings.limits(), sharedLimits),
                        accountService, transferService, console, devTokenService))
                .putSocket(ADMIN_SOCKET, socket -> socket
                        .host(settings.server().host())
                        .port(settings.server().adminPort())
                        .connectionOptions(options -> options.tcpNoDelay(true))
                        .routing(admin -> admin.addFeature(ErrorHandlers.notFoundFallback())))
                .addFeature(observe(database, cache, draining))
                .addFeature(OpenApiFeature.builder().addSocket(WebServer.DEFAULT_SOCKET_NAME).build())
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            PortBank.closeAll(resources);
            throw bindFailure(settings.server(), e);
        }
        boolean keysConfigured = settings.auth().keysConfigured();
        if (settings.auth().devMode() && keysConfigured) {
            LOG.warning("AUTH_DEV_MODE is ignored: token keys are configured, so development tokens are refused");
        } else if (settings.auth().devMode()) {
            LOG.warning("AUTH_DEV_MODE is on: development tokens from POST /dev/tokens are accepted, and anyone who "
                    + "reaches this port can mint them, admin tokens included. NEVER run this in production.");
        }
        return new PortBank(server, database, resources, draining);
    }

    /** The API routing table: every route a client can call. */
    static void routing(HttpRouting.Builder routing, TokenVerifier verifier, RateLimiter reads,
                        AccountService accounts, TransferService transfers, ConsoleService console,
                        Optional<DevTokenService> devTokens) {
        ErrorHandlers.register(routing);
        routing.addFilter(new RequestLog())
                .addFilter(new Authentication(verifier))
                .addFilter(new ReadLimit(reads))
                .register("/v1/accounts", accounts)
                .register("/v1", transfers)
                .register(console);
        devTokens.ifPresent(service -> routing.register("/dev", service));
        routing.addFeature(ErrorHandlers.notFoundFallback());
    }

    /** Health and metrics, on the admin socket only. */
    private static ObserveFeature observe(Database database, Optional<BalanceCache> cache, AtomicBoolean draining) {
        var health = HealthObserver.builder()
                .details(true)
                .addCheck(() -> HealthCheckResponse.builder().status(!draining.get())
                        .detail("draining", draining.get()).build(), HealthCheckType.READINESS, "lifecycle")
                .addCheck(() -> {
                    boolean answers = database.answers();
                    boolean migrated = answers && database.migrationsApplied();
                    return HealthCheckResponse.builder().status(answers && migrated)
                            .detail("answers", answers).detail("migrationsApplied", migrated).build();
                }, HealthCheckType.READINESS, "database");
        cache.ifPresent(c -> health.addCheck(c::health, HealthCheckType.READINESS, "cache"));
        return ObserveFeature.builder()
                .sockets(List.of(ADMIN_SOCKET))
                .addObserver(health.build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private static void serve(Settings settings) {
        PortBank portBank = start(settings);
        LOG.info("PortBank listening on http://" + settings.server().host() + ":" + portBank.port()
                + " (admin http://" + settings.server().host() + ":" + portBank.adminPort() + ")");
        Runnable shutdown = () -> {
            LOG.info("stopping: draining requests in flight for up to " + settings.server().shutdownDrain());
            try {
                portBank.stop();
                LOG.info("stopped");
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.SEVERE, "unclean stop", e);
                System.exit(1);
            }
            System.exit(0);
        };
        // Docker and Kubernetes stop with SIGTERM; a clean drain is a clean exit, so the status is 0, not 143.
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> Thread.ofPlatform().daemon(false).name("shutdown").start(shutdown));
        }
    }

    private static void migrate(Settings settings) {
        var result = Database.migrateOnce(settings.database());
        LOG.info("migrations applied: " + result.migrationsExecuted + "; schema version "
                + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
    }

    /** Asks the admin socket of an instance on this host whether it is ready (for Docker's HEALTHCHECK). */
    private static boolean healthcheck(Settings settings) {
        int port = settings.server().adminPort();
        try {
            var connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/observe/health/ready")
                    .toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(3000);
            int status = connection.getResponseCode();
            System.out.println("ready: " + (status == 200 ? "UP" : "DOWN (" + status + ")"));
            return status == 200;
        } catch (IOException e) {
            System.out.println("ready: DOWN (" + e.getMessage() + ")");
            return false;
        }
    }

    /** Bind each configured port first, so a taken one is reported by name rather than as a stack trace. */
    private static void checkPortsFree(Settings.Server server) {
        if (server.port() != 0 && server.port() == server.adminPort()) {
            throw new StartupException("PORT and ADMIN_PORT are both " + server.port() + "; give them different "
                    + "values");
        }
        checkPortFree(server.host(), server.port(), "PORT");
        checkPortFree(server.host(), server.adminPort(), "ADMIN_PORT");
    }

    private static void checkPortFree(String host, int port, String setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new StartupException("port " + port + " is already in use; set " + setting + " to a free port", e);
        } catch (IOException e) {
            throw new StartupException("cannot bind " + host + ":" + port + " (" + e.getMessage() + "); check HOST and "
                    + setting, e);
        }
    }

    private static StartupException bindFailure(Settings.Server server, RuntimeException e) {
        return new StartupException("cannot bind " + server.host() + " ports " + server.port() + " and "
                + server.adminPort() + " (" + e.getMessage() + "); set PORT and ADMIN_PORT to free ports", e);
    }

    private static Settings settingsOrExit() {
        try {
            return Settings.load(System.getenv());
        } catch (InvalidSettingException e) {
            fail(e.getMessage(), e, "debug".equalsIgnoreCase(System.getenv("LOG_LEVEL")));
            throw e;
        }
    }

    private static void fail(String message, Throwable e, boolean debug) {
        System.err.println("portbank: " + message);
        if (debug) {
            e.printStackTrace();
        }
        System.exit(EXIT_STARTUP_FAILED);
    }

}
