package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Migrations, rollouts, shutdown, scaling and `helm test`. */
class ReleaseLifecycleTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void podsLeaveMigrationsToTheHookJob(ValueSet values) {
        Release release = Chart.render(values);
        V1Container migrate = release.migrationJob().getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(release.config()).containsEntry("DATABASE_MIGRATE_ON_START", "false");
        assertThat(migrate.getArgs()).containsExactly("migrate");
        assertThat(migrate.getCommand()).isNullOrEmpty();
        assertThat(migrate.getImage()).isEqualTo(release.apiContainer().getImage());
        assertThat(release.apiContainer().getArgs()).isNullOrEmpty();
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void migrationJobGetsTheSameSettingsAsThePods(ValueSet values) {
        Release release = Chart.render(values);
        Map<String, String> jobEnv = release.migrationJob().getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue));

        Map<String, String> podConfig = new HashMap<>(release.config());
        podConfig.remove("JAVA_TOOL_OPTIONS");
        // The JVM options without the debugger, which the one-off migration never needs.
        assertThat(jobEnv).containsAllEntriesOf(podConfig)
                .containsEntry("JAVA_TOOL_OPTIONS", HelmValues.of(values).string("jvm.toolOptions"));
    }

    @ParameterizedTest
    @CsvSource({
            "DEFAULTS, 'pre-install,pre-upgrade'",
            "PRODUCTION, 'pre-install,pre-upgrade'",
            // The bundled PostgreSQL is created with the release, after pre-install hooks.
            "DEV, 'post-install,pre-upgrade'"})
    void migrationJobRunsBeforeEveryUpgrade(ValueSet values, String hook) {
        Manifest job = Chart.render(values).get("Job", Chart.FULLNAME + "-migrate");

        assertThat(job.hook()).hasValue(hook);
        assertThat(job.annotation("helm.sh/hook-delete-policy")).hasValue("before-hook-creation,hook-succeeded");
        assertThat(job.as(V1Job.class).getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void gracePeriodCoversThePreStopPauseAndTheDrain(ValueSet values) {
        HelmValues settings = HelmValues.of(values);
        Release release = Chart.render(values);
        int pause = settings.integer("shutdown.preStopSleepSeconds");
        int drain = settings.integer("shutdown.drainSeconds");

        assertThat(release.config()).containsEntry("SHUTDOWN_DRAIN_SECONDS", String.valueOf(drain));
        assertThat(release.apiContainer().getLifecycle().getPreStop().getExec().getCommand())
                .containsExactly("sleep", String.valueOf(pause));
        assertThat(release.api().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(pause + drain + settings.integer("shutdown.marginSeconds"));
    }

    @Test
    void configChangesRollThePodsAndSecretChangesToo() {
        Map<String, String> before = podAnnotations(Chart.render(ValueSet.DEFAULTS));
        Map<String, String> newLogLevel = podAnnotations(Chart.render(ValueSet.DEFAULTS, Map.of("logging.level", "debug")));
        Map<String, String> newDatabase = podAnnotations(Chart.render(ValueSet.DEFAULTS, Map.of("database.password", "rotated")));

        assertThat(newLogLevel.get("checksum/config")).isNotEqualTo(before.get("checksum/config"));
        assertThat(newLogLevel.get("checksum/secret")).isEqualTo(before.get("checksum/secret"));
        assertThat(newDatabase.get("checksum/secret")).isNotEqualTo(before.get("checksum/secret"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void serviceAccountHasNoToken(ValueSet values) {
        V1ServiceAccount account = Chart.render(values).get("ServiceAccount", Chart.FULLNAME).as(V1ServiceAccount.class);

        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(Chart.render(values).api().getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(Chart.FULLNAME);
    }

    @Test
    void autoscalerOwnsTheReplicaCount() {
        Release release = Chart.render(ValueSet.PRODUCTION);
        V2HorizontalPodAutoscaler autoscaler = release.get("HorizontalPodAutoscaler", Chart.FULLNAME).as(V2HorizontalPodAutoscaler.class);

        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(Chart.FULLNAME);
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(autoscaler.getSpec().getMetrics()).extracting(metric -> metric.getResource().getName()).containsExactly("cpu", "memory");
        assertThat(release.api().getSpec().getReplicas()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"DEFAULTS, , 1", "PRODUCTION, 2, "})
    void disruptionBudgetCoversExactlyTheApiPods(ValueSet values, Integer minAvailable, Integer maxUnavailable) {
        Release release = Chart.render(values);
        V1PodDisruptionBudget budget = release.get("PodDisruptionBudget", Chart.FULLNAME).as(V1PodDisruptionBudget.class);

        assertThat(budget.getSpec().getSelector()).isEqualTo(release.api().getSpec().getSelector());
        assertThat(budget.getSpec().getMinAvailable()).isEqualTo(minAvailable == null ? null : new IntOrString(minAvailable));
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(maxUnavailable == null ? null : new IntOrString(maxUnavailable));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void helmTestCallsTheAdminHealthAndTheApiThroughTheServices(ValueSet values) {
        HelmValues settings = HelmValues.of(values);
        Manifest test = Chart.render(values).get("Pod", Chart.FULLNAME + "-test-connection");
        V1PodSpec pod = test.as(V1Pod.class).getSpec();

        assertThat(test.hook()).hasValue("test");
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getContainers()).extracting(container -> container.getArgs().getLast()).containsExactly(
                "http://portbank:" + settings.integer("service.adminPort") + "/observe/health/ready",
                "http://portbank:" + settings.integer("service.port") + "/openapi");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void notesShowHowToPortForwardToTheApiAndAdminPorts(ValueSet values) {
        HelmValues settings = HelmValues.of(values);

        assertThat(Chart.notes(values)).contains(
                "kubectl --namespace " + Chart.NAMESPACE + " port-forward svc/portbank 8080:" + settings.integer("service.port"),
                "kubectl --namespace " + Chart.NAMESPACE + " port-forward svc/portbank 8081:" + settings.integer("service.adminPort"),
                "/observe/health/ready");
    }

    private static Map<String, String> podAnnotations(Release release) {
        return release.api().getSpec().getTemplate().getMetadata().getAnnotations();
    }
}
