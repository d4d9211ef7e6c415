package dev.portbank.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, which it may restart at will: a scratch cluster made by {@code initdb} under
 * {@code target/} on a free port, started and restarted with {@code pg_ctl}, and removed afterwards. The shared
 * server is never touched. PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres}
 * user. Without {@code initdb} and {@code pg_ctl} on the PATH the test fails loudly.
 */
public final class ScratchPostgres implements AutoCloseable {
    /** How long {@link #restartFast()} keeps the server down. */
    private static final Duration OUTAGE = Duration.ofMillis(1500);

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String OS_USER = "postgres";

    private final Path dataDir;
    private final int port;
    private final boolean asRoot;

    private ScratchPostgres(Path dataDir, int port, boolean asRoot) {
        this.dataDir = dataDir;
        this.port = port;
        this.asRoot = asRoot;
    }

    /** initdb, configure and start; {@code database} is created empty. */
    public static ScratchPostgres start(String database) {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path dataDir = scratchDirectory();
        ScratchPostgres server = new ScratchPostgres(dataDir, freePort(), asRoot);
        try {
            server.init();
            server.pgCtl("start", "-l", dataDir.resolve("server.log").toString());
            server.sql("postgres", "CREATE DATABASE " + database);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The URL PortBank takes, for this server's {@code database}. */
    public String url(String database) {
        return "postgres://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** A plain JDBC connection, for invariant checks. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
    }

    /** {@code pg_ctl restart -m fast}: open connections are terminated, the server is down for a moment. */
    /**
     * Stops the server the way a failover or an upgrade does (fast shutdown: sessions cut off) and starts it again
     * after {@link #OUTAGE}, so that the outage is long enough for a readiness probe to see, however fast the
     * scratch cluster starts.
     */
    public void restartFast() {
        pgCtl("stop", "-m", "fast");
        try {
            Thread.sleep(OUTAGE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pgCtl("start", "-l", dataDir.resolve("server.log").toString());
    }

    public String log() {
        try {
            return Files.readString(dataDir.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                pgCtl("stop", "-m", "immediate");
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private void init() {
        run(List.of("initdb", "-D", dataDir.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"));
        String settings = """

                # scratch cluster of a test
                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = ''
                max_connections = 60
                shared_buffers = 32MB
                fsync = off
                synchronous_commit = on
                """.formatted(port);
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot configure the scratch cluster", e);
        }
    }

    private void pgCtl(String action, String... options) {
        List<String> command = new ArrayList<>(List.of("pg_ctl", action, "-D", dataDir.toString(), "-w", "-t", "30"));
        command.addAll(List.of(options));
        run(command);
    }

    private void sql(String database, String statement) {
        try (Connection connection = connect(database); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("scratch cluster: " + statement + ": " + e.getMessage() + "\n" + log(), e);
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).directory(dataDir.getParent().toFile()).redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            // pg_ctl start leaves the server holding no pipe of ours (-l), so reading to the end terminates.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue()
                        + "):\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the fault tests need PostgreSQL's initdb and pg_ctl on the PATH"
                    + (asRoot ? " and runuser with a '" + OS_USER + "' user" : "") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    /**
     * A fresh directory under {@code target/}, owned by the user PostgreSQL runs as. If that user cannot reach
     * {@code target/} (a checkout in a private home), a temporary directory is used instead.
     */
    private static Path scratchDirectory() {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        String name = "scratch-pg-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path target = Path.of("target").toAbsolutePath();
            Files.createDirectories(target);
            Path dir = asRoot && !reachableByOthers(target) ? Files.createTempDirectory(name) : target.resolve(name);
            Files.createDirectories(dir);
            if (asRoot) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(OS_USER);
                Files.setOwner(dir, postgres);
                Files.setPosixFilePermissions(dir, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a directory for the scratch cluster"
                    + (asRoot ? " owned by '" + OS_USER + "' (initdb refuses to run as root)" : ""), e);
        }
    }

    private static boolean reachableByOthers(Path dir) throws IOException {
        for (Path path = dir; path != null; path = path.getParent()) {
            if (!Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    // best effort; target/ is cleaned by the build anyway
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
