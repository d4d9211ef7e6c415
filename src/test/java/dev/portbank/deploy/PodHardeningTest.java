package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pod the chart can start, hook Job and test Pod included, runs restricted. */
class PodHardeningTest {

    /** Tilt's live update writes the rebuilt jar into the running PortBank containers, so dev values allow it. */
    private static final Map<ValueSet, Set<String>> WRITABLE_ROOT = Map.of(
            ValueSet.DEFAULTS, Set.of(),
            ValueSet.DEV, Set.of("Deployment portbank/portbank", "Job portbank-migrate/migrate"),
            ValueSet.PRODUCTION, Set.of());

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyPodRunsAsNonRootWithTheRuntimeDefaultSeccompProfile(ValueSet values) {
        assertThat(Chart.render(values).podSpecs()).isNotEmpty().allSatisfy((owner, pod) -> {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(owner.toString()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(owner.toString()).isPositive();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(owner.toString()).isEqualTo("RuntimeDefault");
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void noPodMountsAServiceAccountToken(ValueSet values) {
        assertThat(Chart.render(values).podSpecs().values()).allSatisfy(pod -> assertThat(pod.getAutomountServiceAccountToken()).isFalse());
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerDropsAllPrivileges(ValueSet values) {
        assertThat(Chart.render(values).containers()).isNotEmpty().allSatisfy((name, container) -> {
            V1SecurityContext security = container.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).as(name).isTrue();
            assertThat(security.getRunAsUser()).as(name).isPositive();
            assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(security.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).as(name).isNullOrEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasAReadOnlyRootFilesystem(ValueSet values) {
        assertThat(Chart.render(values).containers()).allSatisfy((name, container) ->
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                        .as(name).isEqualTo(!WRITABLE_ROOT.get(values).contains(name)));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasCpuAndMemoryLimits(ValueSet values) {
        assertThat(Chart.render(values).containers()).allSatisfy((name, container) ->
                assertThat(container.getResources().getLimits()).as(name).containsKeys("cpu", "memory"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void portBankContainersWriteOnlyToTmp(ValueSet values) {
        Release release = Chart.render(values);
        Map<String, V1PodSpec> portBankPods = Map.of(
                "api", release.api().getSpec().getTemplate().getSpec(),
                "migrate", release.migrationJob().getSpec().getTemplate().getSpec());

        portBankPods.forEach((name, pod) -> {
            V1Container container = pod.getContainers().getFirst();
            assertThat(container.getVolumeMounts()).as(name)
                    .allSatisfy(mount -> assertThat(mount.getMountPath().equals("/tmp") || Boolean.TRUE.equals(mount.getReadOnly()))
                            .as(mount.getMountPath()).isTrue());
            assertThat(pod.getVolumes()).as(name)
                    .anySatisfy(volume -> assertThat(volume.getName()).isEqualTo("tmp"))
                    .filteredOn(volume -> volume.getName().equals("tmp"))
                    .allSatisfy(volume -> assertThat(volume.getEmptyDir()).isNotNull());
        });
    }
}
