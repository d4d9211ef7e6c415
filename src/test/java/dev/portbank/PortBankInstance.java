package dev.portbank;

import dev.portbank.auth.Role;
import dev.portbank.auth.SigningKey;
import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One PortBank process on a fixed API port, as a pod behind a Service endpoint: it can be stopped (SIGTERM) or killed
 * (SIGKILL) and started again on the same port, and every start waits until the instance is ready.
 */
final class PortBankInstance implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile(
            "PortBank listening on http://[^:]+:(\\d+) \\(admin http://[^:]+:(\\d+)\\)");

    /**
     * The identity provider's key that every instance trusts, as replicas do in a deployment: a development key is
     * drawn by each process and would be refused by the others.
     */
    private static final SigningKey PROVIDER = SigningKey.rsa("test-provider");

    private final int port;
    private final Map<String, String> env;
    private ProcessIT.Child child;
    private int adminPort;

    private PortBankInstance(int port, Map<String, String> env) {
        this.port = port;
        this.env = Map.copyOf(env);
    }

    /** Starts an instance on a free port against {@code database} and {@code redis}; {@code overrides} win. */
    static PortBankInstance start(TestDatabase database, TestRedis redis, Map<String, String> overrides)
            throws Exception {
        int port = freePort();
        Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(port), "ADMIN_PORT", "0",
                "HOST", "127.0.0.1", "DATABASE_URL", database.url(), "REDIS_URL", redis.url(),
                "RATE_LIMIT_PER_SECOND", "0", "SHUTDOWN_DRAIN_SECONDS", "10", "DATABASE_POOL_SIZE", "8"));
        env.put("AUTH_PUBLIC_KEY", PROVIDER.publicPem());
        env.put("AUTH_ISSUER", SigningKey.ISSUER);
        env.put("AUTH_AUDIENCE", SigningKey.AUDIENCE);
        env.put("RATE_LIMIT_READS_PER_SECOND", "0");
        env.put("RATE_LIMIT_OPENINGS_PER_MINUTE", "0");
        // Small and quick to start: several instances share the machine with the test.
        env.put("JAVA_TOOL_OPTIONS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        env.putAll(overrides);
        PortBankInstance instance = new PortBankInstance(port, env);
        instance.startAgain();
        return instance;
    }

    /** A token of the provider every instance trusts, valid longer than a test may run. */
    static String token(String subject, Role role) {
        return PROVIDER.sign(SigningKey.claims(subject)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                .claim("roles", List.of(role.claimValue())).build());
    }

    /** Starts the process (again) on the same port and waits until readiness is UP; returns when it listened. */
    Duration startAgain() throws Exception {
        long started = System.nanoTime();
        child = ProcessIT.Child.start(env);
        Matcher listening = child.awaitLine(LISTENING, Duration.ofSeconds(60));
        Duration untilListening = Duration.ofNanos(System.nanoTime() - started);
        adminPort = Integer.parseInt(listening.group(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin().get("/observe/health/ready", null).status() != 200) {
            assertThat(System.nanoTime()).as("instance on port %d ready", port).isLessThan(deadline);
            Thread.sleep(100);
        }
        return untilListening;
    }

    /** SIGTERM, as a rolling update stops a pod; the exit status once it has drained and ended. */
    int terminate(Duration timeout) throws InterruptedException {
        return child.terminate(timeout);
    }

    /** SIGKILL: no drain, whatever is in flight is cut off. */
    void kill() throws InterruptedException {
        child.kill();
    }

    int port() {
        return port;
    }

    Api api() {
        return new Api(port);
    }

    Api admin() {
        return new Api(adminPort);
    }

    @Override
    public void close() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
