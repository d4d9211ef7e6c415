package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Ingress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Ingress tells ingress-nginx to pass a request on to the next pod when one is gone, draining or unavailable,
 * POSTs included (every movement carries an idempotency key), within a bounded number of tries and time.
 */
class IngressRetryTest {

    private static Map<String, String> annotations(Map<String, Object> overrides) {
        Map<String, Object> values = new java.util.HashMap<>(overrides);
        values.put("ingress.enabled", true);
        return Chart.render(ValueSet.DEFAULTS, values).get("Ingress", Chart.FULLNAME).as(V1Ingress.class)
                .getMetadata().getAnnotations();
    }

    @Test
    void nextUpstreamAnnotationsByDefault() {
        assertThat(annotations(Map.of()))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream",
                        "error timeout http_502 http_503 non_idempotent")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream-tries", "3")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream-timeout", "10");
    }

    @Test
    void userAnnotationsAreKeptAndTriesAndTimeoutAreValues() {
        V1Ingress production = Chart.render(ValueSet.PRODUCTION).get("Ingress", Chart.FULLNAME).as(V1Ingress.class);
        assertThat(production.getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt")
                .containsKey("nginx.ingress.kubernetes.io/proxy-next-upstream");

        assertThat(annotations(Map.of("ingress.nextUpstream.tries", 5, "ingress.nextUpstream.timeoutSeconds", 30)))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream-tries", "5")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream-timeout", "30");
    }

    @Test
    void canBeTurnedOff() {
        assertThat(annotations(Map.of("ingress.nextUpstream.enabled", false))).isNullOrEmpty();
    }
}
