package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1HTTPIngressPath;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each port is set once, in values, and reaches every place that needs it by name:
 * value -> env PORT / ADMIN_PORT -> named container port -> Service targetPort -> Ingress backend.
 */
class PortWiringTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void appListensWhereTheContainerPortsSay(ValueSet values) {
        HelmValues settings = HelmValues.of(values);
        assertThat(Chart.render(values).config())
                .containsEntry("PORT", String.valueOf(settings.integer("containerPorts.http")))
                .containsEntry("ADMIN_PORT", String.valueOf(settings.integer("containerPorts.admin")));
        assertThat(Chart.render(values).apiContainer().getPorts())
                .extracting(V1ContainerPort::getName, V1ContainerPort::getContainerPort)
                .contains(tuple("http", settings.integer("containerPorts.http")), tuple("admin", settings.integer("containerPorts.admin")));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void serviceForwardsToTheNamedPorts(ValueSet values) {
        HelmValues settings = HelmValues.of(values);
        V1Service service = Chart.render(values).get("Service", Chart.FULLNAME).as(V1Service.class);

        assertThat(service.getSpec().getPorts())
                .extracting(port -> port.getName(), port -> port.getPort(), port -> port.getTargetPort())
                .containsExactly(
                        tuple("http", settings.integer("service.port"), new IntOrString("http")),
                        tuple("admin", settings.integer("service.adminPort"), new IntOrString("admin")));
    }

    @Test
    void ingressRoutesEveryPathToTheHttpServicePortByName() {
        V1Ingress ingress = Chart.render(ValueSet.PRODUCTION).get("Ingress", Chart.FULLNAME).as(V1Ingress.class);

        assertThat(ingressPaths(ingress))
                .hasSize(2)
                .allSatisfy(path -> {
                    assertThat(path.getBackend().getService().getName()).isEqualTo(Chart.FULLNAME);
                    assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
                    assertThat(path.getBackend().getService().getPort().getNumber()).isNull();
                });
        assertThat(ingress.getSpec().getTls()).singleElement()
                .satisfies(tls -> assertThat(tls.getHosts()).containsExactly("api.portbank.example"));
    }

    @Test
    void ingressNeverExposesTheAdminPort() {
        HelmValues settings = HelmValues.of(ValueSet.PRODUCTION);
        V1Ingress ingress = Chart.render(ValueSet.PRODUCTION).get("Ingress", Chart.FULLNAME).as(V1Ingress.class);

        assertThat(ingressPaths(ingress)).extracting(path -> path.getBackend().getService().getPort())
                .noneMatch(port -> "admin".equals(port.getName()))
                .noneMatch(port -> Integer.valueOf(settings.integer("service.adminPort")).equals(port.getNumber()));
    }

    @Test
    void adminPortStaysOnAClusterIpServiceWhenTheApiIsALoadBalancer() {
        Release release = Chart.render(ValueSet.DEFAULTS, Map.of("service.type", "LoadBalancer"));

        V1Service api = release.get("Service", Chart.FULLNAME).as(V1Service.class);
        V1Service admin = release.get("Service", Chart.FULLNAME + "-admin").as(V1Service.class);

        assertThat(api.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(api.getSpec().getPorts()).extracting(port -> port.getName()).containsExactly("http");
        assertThat(admin.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(admin.getSpec().getPorts()).extracting(port -> port.getTargetPort()).containsExactly(new IntOrString("admin"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void probesCallTheHealthEndpointsOnTheAdminPort(ValueSet values) {
        V1Container api = Chart.render(values).apiContainer();

        Map<String, Function<V1Container, V1Probe>> probes = Map.of(
                "/observe/health/started", V1Container::getStartupProbe,
                "/observe/health/live", V1Container::getLivenessProbe,
                "/observe/health/ready", V1Container::getReadinessProbe);
        probes.forEach((path, probe) -> {
            assertThat(probe.apply(api).getHttpGet().getPath()).isEqualTo(path);
            assertThat(probe.apply(api).getHttpGet().getPort()).isEqualTo(new IntOrString("admin"));
        });
    }

    @Test
    void networkPolicyOpensHttpToTheIngressControllerAndAdminToTheNamespaceAndMonitoring() {
        V1NetworkPolicy policy = Chart.render(ValueSet.PRODUCTION).get("NetworkPolicy", Chart.FULLNAME).as(V1NetworkPolicy.class);

        List<V1NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).extracting(rule -> rule.getPorts().getFirst().getPort())
                .containsExactly(new IntOrString("http"), new IntOrString("admin"));
        assertThat(rules.get(0).getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
        assertThat(rules.get(1).getFrom()).hasSize(2);
        V1NetworkPolicyPeer sameNamespace = rules.get(1).getFrom().get(0);
        assertThat(sameNamespace.getPodSelector()).isNotNull();
        assertThat(sameNamespace.getNamespaceSelector()).isNull();
        assertThat(rules.get(1).getFrom().get(1).getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "monitoring");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "api");
    }

    @Test
    void debuggerListensOnTheDebugPortOnlyInDevelopment() {
        Release dev = Chart.render(ValueSet.DEV);
        Release production = Chart.render(ValueSet.PRODUCTION);

        assertThat(dev.apiContainer().getPorts()).extracting(V1ContainerPort::getName, V1ContainerPort::getContainerPort)
                .contains(tuple("jdwp", 5005));
        assertThat(dev.config().get("JAVA_TOOL_OPTIONS")).contains("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005");
        assertThat(production.apiContainer().getPorts()).extracting(V1ContainerPort::getName).containsExactly("http", "admin");
        assertThat(production.config().get("JAVA_TOOL_OPTIONS")).doesNotContain("jdwp");
    }

    private static List<V1HTTPIngressPath> ingressPaths(V1Ingress ingress) {
        return ingress.getSpec().getRules().stream().flatMap(rule -> rule.getHttp().getPaths().stream()).toList();
    }
}
