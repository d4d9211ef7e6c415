package dev.portbank;

import dev.portbank.platform.Database;
import io.helidon.webserver.WebServer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running PortBank: its server, its backing-service clients and whatever runs beside them. {@link #stop()} drains
 * requests in flight, then releases everything, in that order.
 */
public final class PortBank {
    private final WebServer server;
    private final Database database;
    private final List<AutoCloseable> resources;
    private final AtomicBoolean draining;

    PortBank(WebServer server, Database database, List<AutoCloseable> resources, AtomicBoolean draining) {
        this.server = server;
        this.database = database;
        this.resources = List.copyOf(resources);
        this.draining = draining;
    }

    /** The port the API socket bound (the real one when configured as 0). */
    public int port() {
        return server.port();
    }

    /** The port the admin socket bound. */
    public int adminPort() {
        return server.port(Main.ADMIN_SOCKET);
    }

    public Database database() {
        return database;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Turns readiness DOWN, stops accepting, lets requests in flight finish (up to the drain time), then closes. */
    public synchronized void stop() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        server.stop();
        closeAll(resources);
        database.close();
    }

    /** Closes in reverse order of opening; a failed close must not keep the others open. */
    static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // Shutting down anyway.
            }
        }
    }
}
