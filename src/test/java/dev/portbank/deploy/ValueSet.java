package dev.portbank.deploy;

import java.nio.file.Path;

/**
 * The configurations of the chart that CI renders and checks, each a values file layered on the
 * chart's own values.yaml.
 */
enum ValueSet {
    /** The chart's defaults plus only the settings that have none (a database URL and auth). */
    DEFAULTS("src/test/resources/deploy/values-required.yaml"),
    /** What Tilt deploys: development tokens, JDWP, bundled PostgreSQL and Redis. */
    DEV("charts/portbank/values-dev.yaml"),
    /** Ingress with TLS, autoscaling, NetworkPolicy, an existing Secret and non-default ports. */
    PRODUCTION("charts/portbank/ci/values-production.yaml");

    private final String file;

    ValueSet(String file) {
        this.file = file;
    }

    Path file() {
        return Project.path(file);
    }
}
