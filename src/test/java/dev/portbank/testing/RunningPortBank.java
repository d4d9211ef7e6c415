package dev.portbank.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * A PortBank with a database of its own for one test class:
 * {@code @RegisterExtension static final RunningPortBank BANK = new RunningPortBank();}
 */
public final class RunningPortBank implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> env;
    private TestDatabase database;
    private TestServer server;

    public RunningPortBank() {
        this(Map.of());
    }

    public RunningPortBank(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestDatabase.create();
        server = TestServer.start(database, env);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    public Api api() {
        return server.api();
    }

    public TestServer server() {
        return server;
    }

    public TestDatabase database() {
        return database;
    }
}
