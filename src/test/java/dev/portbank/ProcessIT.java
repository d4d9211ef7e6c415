package dev.portbank;

import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar as users run it: a child process with its own environment, ports, output and signals. */
class ProcessIT {
    private static final Pattern LISTENING = Pattern.compile(
            "PortBank listening on http://[^:]+:(\\d+) \\(admin http://[^:]+:(\\d+)\\)");
    private static final Path JAR = Path.of("target", "portbank.jar");
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        assertThat(JAR).as("run `mvn package` first").exists();
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void portZeroBindsFreePortsAndPrintsTheRealUrls() throws Exception {
        try (Child child = Child.start(env(Map.of()))) {
            Matcher listening = child.awaitLine(LISTENING, Duration.ofSeconds(30));
            int port = Integer.parseInt(listening.group(1));
            int adminPort = Integer.parseInt(listening.group(2));

            assertThat(port).isPositive().isNotEqualTo(adminPort);
            Api api = new Api(port);
            Api admin = new Api(adminPort);
            String token = api.customer("p");
            assertThat(api.get("/v1/accounts", token).status()).isEqualTo(200);
            assertThat(api.get("/observe/health/ready", null).status()).isEqualTo(404);
            assertThat(api.get("/observe/metrics", null).status()).isEqualTo(404);
            assertThat(admin.get("/observe/health", null).status()).isEqualTo(200);
            assertThat(admin.get("/observe/health/live", null).status()).isEqualTo(200);
            assertThat(admin.get("/observe/health/ready", null).status()).isEqualTo(200);
            assertThat(admin.get("/observe/health/started", null).status()).isEqualTo(200);
            assertThat(admin.get("/observe/metrics", null).raw()).contains("# TYPE");
            assertThat(admin.get("/v1/accounts", token).status()).isEqualTo(404);
        }
    }

    @Test
    void jsonLogsAndAnAccessLineWithTheRequestId() throws Exception {
        try (Child child = Child.start(env(Map.of("LOG_FORMAT", "json")))) {
            Matcher listening = child.awaitLine(LISTENING, Duration.ofSeconds(30));
            Api api = new Api(Integer.parseInt(listening.group(1)));
            api.send("GET", "/v1/accounts", api.customer("q"), null, Map.of("X-Request-Id", "trace-me-1"));

            String access = child.awaitLine(Pattern.compile(".*\"requestId\":\"trace-me-1\".*"), Duration.ofSeconds(10))
                    .group();
            assertThat(Api.JSON.readTree(access).path("status").asInt()).isEqualTo(200);
            assertThat(access).contains("\"method\":\"GET\"").contains("\"path\":\"/v1/accounts\"")
                    .contains("\"durationMs\"");
        }
    }

    @Test
    void portInUseExitsWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Result result = Child.run(env(Map.of("PORT", Integer.toString(taken.getLocalPort()))));

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains("port " + taken.getLocalPort()
                    + " is already in use; set PORT to a free port");
            assertThat(result.output()).doesNotContain("\tat ");
            assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void adminPortInUseNamesAdminPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Result result = Child.run(env(Map.of("ADMIN_PORT", Integer.toString(taken.getLocalPort()))));

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains("set ADMIN_PORT to a free port");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "-1", "65536", "80a"})
    void badPortExitsWithOneClearLine(String port) throws Exception {
        Result result = Child.run(env(Map.of("PORT", port)));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output().strip()).isEqualTo("portbank: PORT must be a number in 0..65535, got '"
                + port + "'");
    }

    @Test
    void unreachableDatabaseExitsWithinFifteenSeconds() throws Exception {
        Result result = Child.run(env(Map.of("DATABASE_URL", "postgres://bank:hunter2@127.0.0.1:1/nowhere",
                "DATABASE_CONNECT_TIMEOUT_SECONDS", "3")));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("cannot reach the database at postgres://bank@127.0.0.1:1/nowhere")
                .contains("check DATABASE_URL").doesNotContain("hunter2").doesNotContain("\tat ");
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void debugLevelPrintsTheStackTrace() throws Exception {
        Result result = Child.run(env(Map.of("DATABASE_URL", "postgres://127.0.0.1:1/nowhere",
                "DATABASE_CONNECT_TIMEOUT_SECONDS", "1", "LOG_LEVEL", "debug")));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("\tat ");
    }

    @Test
    void noKeysAndNoDevModeRefusesToStart() throws Exception {
        Map<String, String> env = env(Map.of());
        env.remove("AUTH_DEV_MODE");

        Result result = Child.run(env);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("set AUTH_JWKS_URL or AUTH_PUBLIC_KEY");
    }

    @Test
    void devModeOnAllInterfacesRefusesToStartWithOneLine() throws Exception {
        Result result = Child.run(env(Map.of("HOST", "0.0.0.0")));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output().lines().filter(line -> line.startsWith("portbank: "))).singleElement()
                .satisfies(line -> assertThat(line).contains("AUTH_DEV_MODE=true accepts tokens anyone can mint")
                        .contains("HOST=127.0.0.1").contains("AUTH_DEV_MODE_ALLOW_REMOTE=true"));
    }

    @Test
    void tokenCommandAsksTheRunningInstanceWhoseTokenNoOtherProcessAccepts() throws Exception {
        try (Child child = Child.start(env(Map.of()))) {
            String port = child.awaitLine(LISTENING, Duration.ofSeconds(30)).group(1);
            Api api = new Api(Integer.parseInt(port));

            Result minted = Child.run(env(Map.of("PORT", port)), "token", "--sub", "tina", "--role", "teller");
            Result bad = Child.run(env(Map.of("PORT", port)), "token", "--sub", "tina", "--ttl-seconds", "soon");

            assertThat(minted.exitCode()).as(minted.output()).isZero();
            String token = minted.output().strip();
            assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.output()).startsWith("portbank: ").doesNotContain("\tat ");
            // A teller may not pay into an account of their own, so a customer opens it.
            String account = api.openAccount(api.customer("carol"), "EUR");
            assertThat(api.move("/v1/deposits", token, Map.of("account", account, "amount", 1, "currency", "EUR"))
                    .status()).isEqualTo(201);
            try (TestServer elsewhere = TestServer.start(database)) {
                Api.Response refused = elsewhere.api().get("/v1/accounts", token);
                assertThat(refused.status()).as("another process's development token").isEqualTo(401);
                assertThat(refused.problem()).isEqualTo("bad-signature");
                assertThat(api.get("/v1/accounts", TestServer.customer("carol")).status())
                        .as("this process's token at the child").isEqualTo(401);
            }
        }
    }

    @Test
    void tokenCommandWithoutARunningInstanceSaysSoInOneLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = Child.run(env(Map.of()), "token", "--sub", "tina", "--url", "http://127.0.0.1:" + closedPort);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output().strip()).startsWith("portbank: no PortBank answers at http://127.0.0.1:"
                + closedPort).contains("--url").doesNotContain("\n");
    }

    @Test
    void migrateRunsAndExits() throws Exception {
        try (TestDatabase fresh = TestDatabase.create()) {
            Result result = Child.run(env(Map.of("DATABASE_URL", fresh.url())), "migrate");

            assertThat(result.exitCode()).isZero();
            assertThat(result.output()).containsPattern("migrations applied: [1-9][0-9]*; schema version \\d+");
            Result again = Child.run(env(Map.of("DATABASE_URL", fresh.url())), "migrate");
            assertThat(again.exitCode()).isZero();
            assertThat(again.output()).contains("migrations applied: 0;");
            try (Connection connection = fresh.connect(); Statement sql = connection.createStatement()) {
                assertThat(sql.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success").next())
                        .isTrue();
                sql.executeQuery("SELECT count(*) FROM accounts").close();
            }
        }
    }

    @Test
    void withoutMigrationsTheServiceIsNotReady() throws Exception {
        try (TestDatabase fresh = TestDatabase.create();
             Child child = Child.start(env(Map.of("DATABASE_URL", fresh.url(),
                     "DATABASE_MIGRATE_ON_START", "false")))) {
            Matcher listening = child.awaitLine(LISTENING, Duration.ofSeconds(30));
            Api admin = new Api(Integer.parseInt(listening.group(2)));

            assertThat(admin.get("/observe/health/ready", null).status()).isEqualTo(503);
            assertThat(admin.get("/observe/health/live", null).status()).isEqualTo(200);
            assertThat(Child.run(env(Map.of("DATABASE_URL", fresh.url())), "migrate").exitCode()).isZero();
            assertThat(admin.get("/observe/health/ready", null).status()).isEqualTo(200);
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAndExitsZero() throws Exception {
        Api setup;
        String account;
        try (Child child = Child.start(env(Map.of()))) {
            Matcher listening = child.awaitLine(LISTENING, Duration.ofSeconds(30));
            setup = new Api(Integer.parseInt(listening.group(1)));
            account = setup.openAccount(setup.customer("slow"), "EUR");
            String teller = setup.teller("t");

            try (Connection lock = database.connect()) {
                lock.setAutoCommit(false);
                try (Statement sql = lock.createStatement()) {
                    // Holding the account's row lock keeps the deposit below in flight for as long as we like.
                    sql.execute("SELECT 1 FROM accounts WHERE id = '" + account + "' FOR UPDATE");
                }
                CompletableFuture<Api.Response> inFlight = CompletableFuture.supplyAsync(() ->
                        setup.move("/v1/deposits", teller, Map.of("account", account, "amount", 42,
                                "currency", "EUR")));
                awaitBlockedOnLock(lock);
                child.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our pipes
                Thread.sleep(700);
                assertThat(child.process.isAlive()).as("still draining:\n%s", child.output()).isTrue();
                lock.commit();

                assertThat(inFlight.get(20, TimeUnit.SECONDS).status()).isEqualTo(201);
            }
            assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.process.exitValue()).isZero();
            child.awaitLine(Pattern.compile("stopped"), Duration.ofSeconds(5));
        }
        try (Connection check = database.connect(); Statement sql = check.createStatement()) {
            var rows = sql.executeQuery("SELECT balance FROM accounts WHERE id = '" + account + "'");
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(42);
        }
    }

    /** Waits until another session waits for a row lock: the deposit is then provably in flight. */
    private static void awaitBlockedOnLock(Connection connection) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Statement sql = connection.createStatement();
                 var rows = sql.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                         + " AND datname = current_database()")) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the deposit never reached the database");
    }

    private static Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("ADMIN_PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("DATABASE_URL", database.url());
        env.put("AUTH_DEV_MODE", "true");
        env.put("SHUTDOWN_DRAIN_SECONDS", "15");
        env.putAll(overrides);
        return env;
    }

    /** What a finished child printed and how it ended. */
    record Result(int exitCode, String output, Duration elapsed) {
    }

    /** The jar running as a child process with only the given environment; stdout and stderr merged. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> all = new ArrayList<>();

        private Child(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().name("child-output").start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        synchronized (all) {
                            all.add(line);
                        }
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        static Child start(Map<String, String> env, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", JAR.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(env);
            return new Child(builder.start());
        }

        static Result run(Map<String, String> env, String... args) throws Exception {
            long start = System.nanoTime();
            try (Child child = start(env, args)) {
                boolean ended = child.process.waitFor(60, TimeUnit.SECONDS);
                assertThat(ended).as("the process should have exited").isTrue();
                Thread.sleep(100);
                return new Result(child.process.exitValue(), child.output(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        }

        Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    Matcher matcher = pattern.matcher(line);
                    if (matcher.find()) {
                        return matcher;
                    }
                }
            }
            throw new AssertionError("no line matching " + pattern + " in:\n" + output());
        }

        /** SIGTERM, as Kubernetes stops a pod, and the exit status once the process has drained and ended. */
        int terminate(Duration timeout) throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("process ended after SIGTERM")
                    .isTrue();
            return process.exitValue();
        }

        /** SIGKILL: no drain, no shutdown hook, whatever is in flight is cut off. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("killed process ended").isTrue();
        }

        String output() {
            synchronized (all) {
                return String.join("\n", all);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        private static String javaExecutable() {
            return ProcessHandle.current().info().command().orElse("java");
        }
    }
}
