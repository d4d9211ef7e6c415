package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} and {@code helm template} succeed for every value set CI knows. */
class ChartLintTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void lintsWithoutErrorsOrWarnings(ValueSet values) {
        LintResult lint = Chart.lint(values);

        assertThat(lint.isFailed()).as("lint failed: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.startsWith("[ERROR]") || message.startsWith("[WARNING]"));
    }

    static List<Arguments> expectedKinds() {
        return List.of(
                Arguments.of(ValueSet.DEFAULTS, Map.of(
                        "ConfigMap", 1, "Deployment", 1, "Job", 1, "Pod", 1, "PodDisruptionBudget", 1,
                        "Secret", 1, "Service", 1, "ServiceAccount", 1)),
                Arguments.of(ValueSet.DEV, Map.of(
                        "ConfigMap", 1, "Deployment", 2, "Job", 1, "Pod", 1, "Secret", 2,
                        "Service", 3, "ServiceAccount", 1, "StatefulSet", 1)),
                Arguments.of(ValueSet.PRODUCTION, Map.of(
                        "ConfigMap", 1, "Deployment", 1, "HorizontalPodAutoscaler", 1, "Ingress", 1, "Job", 1,
                        "NetworkPolicy", 1, "Pod", 1, "PodDisruptionBudget", 1, "Service", 1, "ServiceAccount", 1)));
    }

    @ParameterizedTest
    @MethodSource("expectedKinds")
    void rendersTheExpectedObjects(ValueSet values, Map<String, Integer> expected) {
        Map<String, Integer> kinds = Chart.render(values).manifests().stream()
                .collect(Collectors.groupingBy(Manifest::kind, Collectors.summingInt(manifest -> 1)));

        assertThat(kinds).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void rendersHooksForMigrationsAndTests(ValueSet values) {
        Set<String> hooks = Chart.render(values).manifests().stream()
                .flatMap(manifest -> manifest.hook().stream())
                .collect(Collectors.toSet());

        assertThat(hooks).contains("test").anyMatch(hook -> hook.contains("pre-upgrade"));
    }
}
