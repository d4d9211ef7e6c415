package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1HTTPIngressPath;
import io.kubernetes.client.openapi.models.V1Ingress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code helm upgrade --install} in the README's "Deploy to Kubernetes" section renders what it promises. */
class ReadmeInstallTest {

    /** The README command's {@code --set} flags, in order. */
    private static Map<String, Object> readmeFlags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("image.repository", "registry.example/portbank");
        flags.put("image.tag", "0.1.0");
        flags.put("existingSecret.name", "portbank-credentials");
        flags.put("auth.jwksUrl", "https://idp.example/.well-known/jwks.json");
        flags.put("ingress.enabled", "true");
        flags.put("ingress.className", "nginx");
        flags.put("ingress.hosts[0].host", "api.example");
        flags.put("ingress.hosts[0].paths[0].path", "/");
        flags.put("ingress.hosts[0].paths[0].pathType", "Prefix");
        flags.put("ingress.tls[0].secretName", "api-example-tls");
        flags.put("ingress.tls[0].hosts[0]", "api.example");
        return flags;
    }

    @Test
    void readmeInstallRoutesTheIngressToTheHttpPort() {
        Release release = Chart.render(ValueSet.DEFAULTS, readmeFlags());

        V1Ingress ingress = release.get("Ingress", Chart.FULLNAME).as(V1Ingress.class);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules()).singleElement()
                .satisfies(rule -> assertThat(rule.getHost()).isEqualTo("api.example"));
        V1HTTPIngressPath path = ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst();
        assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
        assertThat(ingress.getSpec().getTls()).singleElement()
                .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("api-example-tls"));
        V1Deployment deployment = release.get("Deployment", Chart.FULLNAME).as(V1Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("registry.example/portbank:0.1.0");
        assertThat(release.find("Secret", Chart.FULLNAME)).as("existingSecret: the chart makes none").isEmpty();
    }
}
