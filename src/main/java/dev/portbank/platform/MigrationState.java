package dev.portbank.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether a database already holds every migration this build carries, answered with one query. Flyway answers the
 * same question by scanning, parsing and checksumming every migration (a third of a second of a start); a start, and
 * readiness, only need to know whether anything is pending. Flyway itself still applies and validates migrations.
 */
final class MigrationState {
    static final String LOCATION = "db/migration";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^/]*\\.sql");

    private MigrationState() {
    }

    /** The versions of this build's versioned migrations ("1", "2", ...), as Flyway records them. */
    static Set<String> bundledVersions() {
        URL location = MigrationState.class.getClassLoader().getResource(LOCATION);
        if (location == null) {
            throw new IllegalStateException("no " + LOCATION + " on the class path");
        }
        return bundledVersions(location);
    }

    /**
     * The versions of the migrations in {@code location}, a directory or a directory in a jar, its subdirectories
     * included (as Flyway finds them).
     */
    static Set<String> bundledVersions(URL location) {
        Set<String> versions = new TreeSet<>();
        for (String name : fileNames(location)) {
            Matcher versioned = VERSIONED.matcher(name);
            if (versioned.matches()) {
                versions.add(versioned.group(1).replace('_', '.'));
            }
        }
        return versions;
    }

    /**
     * True when the schema history records each of {@code bundled} as applied successfully. False for an empty
     * {@code bundled} (nothing to compare is never "current") and when there is no history yet.
     */
    static boolean isCurrent(Connection connection, Collection<String> bundled) throws SQLException {
        if (bundled.isEmpty()) {
            return false;
        }
        Set<String> applied = new HashSet<>();
        try (Statement sql = connection.createStatement()) {
            if (!historyExists(sql)) {
                return false;
            }
            try (ResultSet rows = sql.executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
                while (rows.next()) {
                    applied.add(rows.getString(1));
                }
            }
        }
        return applied.containsAll(bundled);
    }

    private static boolean historyExists(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static Collection<String> fileNames(URL location) {
        try {
            return switch (location.getProtocol()) {
                case "file" -> {
                    try (Stream<Path> files = Files.walk(Path.of(location.toURI()))) {
                        yield files.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).toList();
                    }
                }
                case "jar" -> {
                    JarURLConnection connection = (JarURLConnection) location.openConnection();
                    connection.setUseCaches(false); // a JarFile of our own, closed here, not the shared cached one
                    try (JarFile jar = connection.getJarFile()) {
                        String prefix = LOCATION + "/";
                        yield jar.stream().map(JarEntry::getName)
                                .filter(name -> name.startsWith(prefix) && !name.endsWith("/"))
                                .map(name -> name.substring(name.lastIndexOf('/') + 1)).toList();
                    }
                }
                default -> throw new IllegalStateException("cannot list " + location);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
