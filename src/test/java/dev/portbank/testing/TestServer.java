package dev.portbank.testing;

import dev.portbank.Main;
import dev.portbank.PortBank;
import dev.portbank.auth.DevTokens;
import dev.portbank.auth.Role;
import dev.portbank.config.Settings;
import dev.portbank.platform.LogSetup;

import java.util.HashMap;
import java.util.Map;

/**
 * A real PortBank, started through {@link Main#start(Settings)} on free ports against a test database, in dev-mode
 * authentication unless the test says otherwise.
 */
public final class TestServer implements AutoCloseable {
    private final PortBank portBank;
    private final Api api;

    private TestServer(PortBank portBank) {
        this.portBank = portBank;
        this.api = new Api(portBank.port());
    }

    public static TestServer start(TestDatabase database) {
        return start(database, Map.of());
    }

    public static TestServer start(TestDatabase database, Map<String, String> extraEnv) {
        return start(database.url(), extraEnv);
    }

    /** A PortBank against any database URL (a scratch server the test owns, a proxy in front of one). */
    public static TestServer start(String databaseUrl, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("ADMIN_PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("DATABASE_URL", databaseUrl);
        env.put("AUTH_DEV_MODE", "true");
        env.put("RATE_LIMIT_PER_SECOND", "0");
        env.put("RATE_LIMIT_READS_PER_SECOND", "0");
        env.put("RATE_LIMIT_OPENINGS_PER_MINUTE", "0");
        env.put("LOG_LEVEL", System.getenv().getOrDefault("PORTBANK_TEST_LOG_LEVEL", "warn"));
        env.putAll(extraEnv);
        Settings settings = Settings.load(env);
        LogSetup.configure(settings.logging().format(), settings.logging().level());
        return new TestServer(Main.start(settings));
    }

    public Api api() {
        return api;
    }

    public Api admin() {
        return new Api(portBank.adminPort());
    }

    public PortBank portBank() {
        return portBank;
    }

    /**
     * Tokens that every server this test process starts accepts: they are signed with the process's development key.
     * A PortBank in another process has its own key; ask it instead ({@link Api#devToken}).
     */
    public static String customer(String name) {
        return DevTokens.ofThisProcess().mint(name, Role.CUSTOMER);
    }

    public static String teller(String name) {
        return DevTokens.ofThisProcess().mint(name, Role.TELLER);
    }

    public static String admin(String name) {
        return DevTokens.ofThisProcess().mint(name, Role.ADMIN);
    }

    @Override
    public void close() {
        portBank.stop();
    }
}
