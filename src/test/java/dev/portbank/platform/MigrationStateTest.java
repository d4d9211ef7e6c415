package dev.portbank.platform;

import dev.portbank.config.Settings;
import dev.portbank.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-query answer to "is anything pending?" that a start and readiness use instead of Flyway's scan. */
class MigrationStateTest {
    private static final Path SOURCES = Path.of("src/main/resources/db/migration");

    @Test
    void bundledVersionsAreTheVersionedMigrationsOfTheSourceTree() throws Exception {
        List<String> expected;
        try (Stream<Path> files = Files.list(SOURCES)) {
            expected = files.map(file -> file.getFileName().toString()).filter(name -> name.matches("V.*__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__"))).toList();
        }

        assertThat(expected).contains("1", "6");
        assertThat(MigrationState.bundledVersions()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void bundledVersionsAreReadFromAJarTooWithSubdirectoriesAsFlywayReadsThem(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("db/migration/", "db/migration/V1__first.sql", "db/migration/V2_1__point.sql",
                    "db/migration/afterMigrate__grants.sql", "db/migration/old/V9__nested.sql", "other/V8__x.sql")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write("SELECT 1;".getBytes());
                }
                out.closeEntry();
            }
        }
        URL location = URI.create("jar:" + jar.toUri() + "!/db/migration").toURL();

        assertThat(MigrationState.bundledVersions(location)).containsExactly("1", "2.1", "9");
        assertThat(openDescriptorsOf(jar)).as("the jar was closed after listing").isZero();
    }

    /** How many of this process's file descriptors are open on {@code file} (Linux). */
    private static long openDescriptorsOf(Path file) throws Exception {
        Path real = file.toRealPath();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).equals(real);
                } catch (Exception e) {
                    return false; // closed meanwhile, or not a link
                }
            }).count();
        }
    }

    @Test
    void aDatabaseIsCurrentOnlyWhenItsHistoryHoldsEveryBundledVersion() throws Exception {
        Set<String> bundled = MigrationState.bundledVersions();
        try (TestDatabase database = TestDatabase.create(); Connection sql = database.connect();
             Statement statement = sql.createStatement()) {
            assertThat(MigrationState.isCurrent(sql, bundled)).as("no history yet").isFalse();

            Database.migrateOnce(Settings.load(Map.of("DATABASE_URL", database.url())).database());
            assertThat(MigrationState.isCurrent(sql, bundled)).as("migrated").isTrue();
            assertThat(MigrationState.isCurrent(sql, Set.of())).as("nothing to compare with").isFalse();

            statement.execute("UPDATE flyway_schema_history SET success = false WHERE version = '6'");
            assertThat(MigrationState.isCurrent(sql, bundled)).as("the newest one failed").isFalse();
            statement.execute("DELETE FROM flyway_schema_history WHERE version = '6'");
            assertThat(MigrationState.isCurrent(sql, bundled)).as("the newest one is missing").isFalse();
        }
    }

    @Test
    void aStartOnACurrentSchemaLeavesFlywayOutWhileTheMigrateCommandStillValidates() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Settings.Database settings = Settings.load(Map.of("DATABASE_URL", database.url())).database();
            try (Database fresh = Database.connect(settings)) {
                assertThat(fresh.migrationsApplied()).as("empty database").isFalse();
                fresh.migrateOnStart();
                assertThat(fresh.migrationsApplied()).isTrue();
            }
            // A changed checksum is what Flyway's validation refuses: only a run of Flyway notices it.
            try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
                statement.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
            }

            try (Database again = Database.connect(settings)) {
                again.migrateOnStart();
                assertThat(again.migrationsApplied()).as("a current schema starts without Flyway").isTrue();
            }
            assertThatThrownBy(() -> Database.migrateOnce(settings)).as("the migrate command runs Flyway")
                    .isInstanceOf(StartupException.class).hasMessageContaining("failed validation").hasMessageContaining("checksum mismatch for migration version 1")
                    .hasMessageNotContaining("\n");
        }
    }
}
