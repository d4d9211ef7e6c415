package dev.portbank.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private static final Map<String, String> YAML = Map.of("server.port", "7000", "server.admin-port", "7001");

    @Test
    void defaultsWithoutEnvironment() {
        Settings settings = Settings.from(SettingSource.of(Map.of(), Map.of()));

        assertThat(settings.server().port()).isEqualTo(8080);
        assertThat(settings.server().adminPort()).isEqualTo(8081);
        assertThat(settings.server().host()).isEqualTo("0.0.0.0");
        assertThat(settings.server().shutdownDrain()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.database().migrateOnStart()).isTrue();
        assertThat(settings.cache().url()).isEmpty();
        assertThat(settings.auth().devMode()).isFalse();
    }

    @Test
    void bundledApplicationYamlIsRead() {
        Settings settings = Settings.load(Map.of());

        assertThat(settings.database().url().database()).isEqualTo("portbank");
        assertThat(settings.database().poolSize()).isEqualTo(8);
    }

    @ParameterizedTest(name = "PORT={0} SERVER_PORT={1} -> {2}")
    @CsvSource({"9000,9100,9000", ",9100,9100", ",,7000", "0,,0", "'',9100,9100"})
    void portPrecedenceIsPortThenServerPortThenYaml(String port, String serverPort, int expected) {
        Map<String, String> env = new HashMap<>();
        if (port != null) {
            env.put("PORT", port);
        }
        if (serverPort != null) {
            env.put("SERVER_PORT", serverPort);
        }

        assertThat(Settings.from(SettingSource.of(env, YAML)).server().port()).isEqualTo(expected);
    }

    @Test
    void adminPortFromEnvironmentOverYaml() {
        Settings settings = Settings.from(SettingSource.of(Map.of("ADMIN_PORT", "9191"), YAML));

        assertThat(settings.server().adminPort()).isEqualTo(9191);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "65536", "80.5", "8080x"})
    void badPortNamesTheSetting(String port) {
        assertThatThrownBy(() -> Settings.from(SettingSource.of(Map.of("PORT", port), YAML)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("PORT must be a number in 0..65535, got '" + port + "'");
    }

    @Test
    void badAdminPortNamesTheSetting() {
        assertThatThrownBy(() -> Settings.from(SettingSource.of(Map.of("ADMIN_PORT", "x"), YAML)))
                .hasMessageStartingWith("ADMIN_PORT must be a number");
    }

    @Test
    void secretsComeFromFiles(@TempDir Path dir) throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "fr0m-file\n");
        Map<String, String> env = Map.of("DATABASE_URL", "postgres://u:inline@h/d",
                "DATABASE_PASSWORD_FILE", password.toString());

        Settings settings = Settings.from(SettingSource.of(env, Map.of()));

        assertThat(settings.database().url().password()).contains("fr0m-file");
    }

    @Test
    void unreadableSecretFileNamesTheSetting() {
        Map<String, String> env = Map.of("DATABASE_PASSWORD_FILE", "/nonexistent/secret");

        assertThatThrownBy(() -> Settings.from(SettingSource.of(env, Map.of())))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DATABASE_PASSWORD_FILE");
    }

    @Test
    void poolSizeFromEnvironment() {
        Settings settings = Settings.from(SettingSource.of(Map.of("DATABASE_POOL_SIZE", "40"), Map.of()));

        assertThat(settings.database().poolSize()).isEqualTo(40);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DATABASE_MIGRATE_ON_START | maybe    | DATABASE_MIGRATE_ON_START must be true or false
            LOG_FORMAT                | xml      | LOG_FORMAT must be text or json
            LOG_LEVEL                 | loud     | LOG_LEVEL must be
            REDIS_URL                 | http://x | REDIS_URL must start with redis://
            DATABASE_POOL_SIZE        | 0        | DATABASE_POOL_SIZE must be a number in 2..1000
            """)
    void invalidValuesNameTheirSetting(String name, String value, String message) {
        assertThatThrownBy(() -> Settings.from(SettingSource.of(Map.of(name, value), Map.of())))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void consoleSignInWithAProviderNeedsTheIssuerAndTheClientId() {
        Settings both = Settings.from(SettingSource.of(Map.of("AUTH_OIDC_ISSUER", "https://id.example/realms/bank",
                "AUTH_OIDC_CLIENT_ID", "portbank-console"), Map.of()));

        assertThat(both.console().oidc()).hasValueSatisfying(oidc -> {
            assertThat(oidc.issuer()).hasToString("https://id.example/realms/bank");
            assertThat(oidc.scope()).isEqualTo("openid");
        });
        assertThat(Settings.from(SettingSource.of(Map.of(), Map.of())).console().oidc()).isEmpty();
        assertThatThrownBy(() -> Settings.from(SettingSource.of(Map.of("AUTH_OIDC_ISSUER", "https://id.example"),
                Map.of()))).hasMessageStartingWith("AUTH_OIDC_CLIENT_ID must be set too");
        assertThatThrownBy(() -> Settings.from(SettingSource.of(Map.of("AUTH_OIDC_ISSUER", "id.example?x=1",
                "AUTH_OIDC_CLIENT_ID", "c"), Map.of()))).hasMessageStartingWith("AUTH_OIDC_ISSUER must be");
    }

    @Test
    void everySettingHasAnEnvironmentName() {
        for (Setting setting : Setting.values()) {
            assertThat(setting.envName()).matches("[A-Z][A-Z0-9_]+");
            assertThat(setting.key()).contains(".");
        }
    }

    @Test
    void everySettingIsInTheReadmesConfigurationTable() throws java.io.IOException {
        List<String> rows = java.nio.file.Files.readAllLines(java.nio.file.Path.of("README.md")).stream()
                .filter(line -> line.startsWith("| `")).toList();

        for (Setting setting : Setting.values()) {
            assertThat(rows).as(setting.envName()).anyMatch(row -> row.startsWith("| `" + setting.envName() + "`"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DATABASE_RUNTIME_ROLE  | Portbank-App    | DATABASE_RUNTIME_ROLE must be a lower-case PostgreSQL role name
            DATABASE_RUNTIME_ROLE  | app; DROP TABLE | DATABASE_RUNTIME_ROLE must be a lower-case PostgreSQL role name
            DATABASE_MIGRATION_URL | mysql://x/y     | DATABASE_MIGRATION_URL must start with postgres://
            AUTH_ROLES_CLAIM       | realm_access.   | AUTH_ROLES_CLAIM must be a claim name or a dotted path
            """)
    void newSecuritySettingsAreValidated(String name, String value, String message) {
        assertThatThrownBy(() -> Settings.from(SettingSource.of(Map.of(name, value), Map.of())))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith(message);
    }
}
