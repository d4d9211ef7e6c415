package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Secret settings reach the pods only as files from a Secret, never through a ConfigMap or a plain env value. */
class SecretHandlingTest {

    private static final String SECRETS_DIR = "/var/run/secrets/portbank";

    /** Every secret setting the chart accepts, each with a value that is easy to spot. */
    private static final Map<String, Object> ALL_SECRETS = Map.of(
            "database.url", "postgres://portbank:db-url-secret@db.internal:5432/portbank",
            "database.password", "db-password-secret",
            "cache.url", "redis://:cache-url-secret@cache.internal:6379/0",
            "cache.password", "cache-password-secret",
            "auth.publicKey", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIpublickeysecret\n-----END PUBLIC KEY-----\n");

    private static final Map<String, String> FILE_ENV_BY_KEY = Map.of(
            "database-url", "DATABASE_URL_FILE",
            "database-password", "DATABASE_PASSWORD_FILE",
            "redis-url", "REDIS_URL_FILE",
            "redis-password", "REDIS_PASSWORD_FILE",
            "auth-public-key", "AUTH_PUBLIC_KEY_FILE");

    @Test
    void everySecretSettingGoesIntoTheChartSecret() {
        V1Secret secret = Chart.render(ValueSet.DEFAULTS, ALL_SECRETS).get("Secret", Chart.FULLNAME).as(V1Secret.class);

        assertThat(decoded(secret)).containsOnlyKeys(FILE_ENV_BY_KEY.keySet()).containsValues(ALL_SECRETS.values().toArray(String[]::new));
    }

    @Test
    void noSecretSettingAppearsInAConfigMapOrAPlainEnvValue() {
        Release release = Chart.render(ValueSet.DEFAULTS, ALL_SECRETS);

        assertThat(plainTexts(release)).isNotEmpty().allSatisfy(text -> assertThat(text)
                .doesNotContain("db-url-secret", "db-password-secret", "cache-url-secret", "cache-password-secret", "publickeysecret"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void noValueOfAnySecretAppearsInAConfigMapOrAPlainEnvValue(ValueSet values) {
        Release release = Chart.render(values);
        List<String> secretValues = release.ofKind("Secret").stream()
                .flatMap(manifest -> decoded(manifest.as(V1Secret.class)).values().stream())
                .toList();

        assertThat(plainTexts(release)).allSatisfy(text -> assertThat(secretValues).noneMatch(text::contains));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void secretKeysAreMountedAsFilesThatTheFileEnvPointsTo(ValueSet values) {
        Release release = Chart.render(values);
        V1Volume volume = secretVolume(release);

        assertThat(volume.getSecret().getItems()).isNotEmpty().allSatisfy(item -> {
            assertThat(item.getPath()).isEqualTo(item.getKey());
            assertThat(release.config()).containsEntry(FILE_ENV_BY_KEY.get(item.getKey()), SECRETS_DIR + "/" + item.getKey());
        });
        assertThat(release.apiContainer().getVolumeMounts())
                .filteredOn(mount -> mount.getName().equals("secrets"))
                .singleElement()
                .returns(SECRETS_DIR, V1VolumeMount::getMountPath)
                .returns(true, V1VolumeMount::getReadOnly);
        assertThat(release.config())
                .doesNotContainKeys("DATABASE_URL", "DATABASE_PASSWORD", "REDIS_URL", "REDIS_PASSWORD", "AUTH_PUBLIC_KEY");
    }

    @Test
    void existingSecretIsMountedInsteadOfCreatingOne() {
        Release release = Chart.render(ValueSet.PRODUCTION);

        assertThat(release.ofKind("Secret")).isEmpty();
        assertThat(secretVolume(release).getSecret().getSecretName()).isEqualTo("portbank-credentials");
        assertThat(secretVolume(release).getSecret().getItems()).extracting(V1KeyToPath::getKey)
                .containsExactlyInAnyOrder("database-url", "database-password", "redis-url", "redis-password");
        assertThat(release.config()).doesNotContainKey("AUTH_PUBLIC_KEY_FILE");
    }

    @Test
    void chartSecretIsAHookThatExistsBeforeTheMigrationJob() {
        Release release = Chart.render(ValueSet.DEFAULTS);
        Manifest secret = release.get("Secret", Chart.FULLNAME);
        Manifest job = release.get("Job", Chart.FULLNAME + "-migrate");

        assertThat(secret.hook()).hasValue("pre-install,pre-upgrade");
        assertThat(job.hook()).hasValue("pre-install,pre-upgrade");
        assertThat(weight(secret)).isLessThan(weight(job));
    }

    @Test
    void theSchemaOwnersUrlReachesTheMigrationJobOnly() {
        Release release = Chart.render(ValueSet.DEFAULTS, Map.of(
                "database.migrationUrl", "postgres://owner:owner-secret@db.internal:5432/portbank",
                "database.runtimeRole", "portbank_app"));
        V1Container migrate = release.migrationJob().getSpec().getTemplate().getSpec().getContainers().getFirst();
        List<V1Volume> jobVolumes = release.migrationJob().getSpec().getTemplate().getSpec().getVolumes();

        assertThat(decoded(release.get("Secret", Chart.FULLNAME).as(V1Secret.class)))
                .containsEntry("database-migration-url", "postgres://owner:owner-secret@db.internal:5432/portbank");
        assertThat(migrate.getEnv()).extracting(V1EnvVar::getName, V1EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("DATABASE_MIGRATION_URL_FILE",
                        "/var/run/secrets/portbank-migration/database-migration-url"),
                        org.assertj.core.groups.Tuple.tuple("DATABASE_RUNTIME_ROLE", "portbank_app"));
        assertThat(jobVolumes).filteredOn(volume -> volume.getName().equals("migration-credentials")).singleElement()
                .satisfies(volume -> assertThat(volume.getSecret().getItems()).extracting(V1KeyToPath::getKey)
                        .containsExactly("database-migration-url"));
        assertThat(release.config()).containsEntry("DATABASE_RUNTIME_ROLE", "portbank_app")
                .doesNotContainKey("DATABASE_MIGRATION_URL_FILE");
        assertThat(secretVolume(release).getSecret().getItems()).extracting(V1KeyToPath::getKey)
                .doesNotContain("database-migration-url");
        assertThat(plainTexts(release)).noneMatch(text -> text.contains("owner-secret"));
    }

    @Test
    void aRuntimeRoleWithoutAMigrationUrlDoesNotRender() {
        assertThat(Chart.renderError(ValueSet.DEFAULTS, Map.of("database.runtimeRole", "portbank_app")))
                .contains("database: database.runtimeRole needs database.migrationUrl");
    }

    /** Every place where a value ends up in plain text: ConfigMap data, env values, commands and args. */
    private static List<String> plainTexts(Release release) {
        List<String> texts = new ArrayList<>();
        release.ofKind("ConfigMap").forEach(manifest -> texts.addAll(manifest.as(V1ConfigMap.class).getData().values()));
        for (V1Container container : release.containers().values()) {
            Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                    .map(V1EnvVar::getValue)
                    .filter(Objects::nonNull)
                    .forEach(texts::add);
            Optional.ofNullable(container.getArgs()).ifPresent(texts::addAll);
            Optional.ofNullable(container.getCommand()).ifPresent(texts::addAll);
        }
        return texts;
    }

    private static V1Volume secretVolume(Release release) {
        return release.api().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals("secrets"))
                .findFirst().orElseThrow();
    }

    private static Map<String, String> decoded(V1Secret secret) {
        Map<String, String> decoded = new TreeMap<>();
        secret.getData().forEach((key, value) -> decoded.put(key, new String(value, StandardCharsets.UTF_8)));
        return decoded;
    }

    private static int weight(Manifest manifest) {
        return Integer.parseInt(manifest.annotation("helm.sh/hook-weight").orElse("0"));
    }
}
