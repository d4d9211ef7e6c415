package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong values stop the render, through values.schema.json or the chart's own checks, with a message that says why. */
class ValuesValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            containerPorts.http                  | 0            | at '/containerPorts/http': minimum: got 0, want 1
            containerPorts.admin                 | 70000        | at '/containerPorts/admin': maximum: got 70,000, want 65,535
            service.port                         | 0            | at '/service/port': minimum: got 0, want 1
            debug.port                           | 65536        | at '/debug/port': maximum: got 65,536, want 65,535
            image.repository                     | ''           | at '/image/repository': minLength: got 0, want 1
            image.repository                     | 'a b'        | at '/image/repository': 'a b' does not match pattern
            unknownSetting                       | 1            | at '': additional properties 'unknownSetting' not allowed
            service.nodePort                     | 30080        | at '/service': additional properties 'nodePort' not allowed
            livenessProbe.httpGet.path           | /            | at '/livenessProbe': additional properties 'httpGet' not allowed
            service.type                         | ExternalName | at '/service/type': value must be one of
            logging.level                        | verbose      | at '/logging/level': value must be one of
            resources.limits                     | null         | at '/resources': missing property 'limits'
            database.url                         | mysql://db   | at '/database/url': 'mysql://db' does not match pattern
            auth.jwksUrl                         | ''           | auth: set auth.jwksUrl or auth.publicKey (or existingSecret.keys.authPublicKey)
            database.url                         | ''           | database: set database.url, existingSecret.name with existingSecret.keys.databaseUrl
            containerPorts.admin                 | 8080         | containerPorts.http, containerPorts.admin and debug.port (when debug.enabled) must
            podDisruptionBudget.minAvailable     | 1            | podDisruptionBudget: set exactly one of podDisruptionBudget.maxUnavailable and
            postgresql.enabled                   | true         | postgresql: set postgresql.auth.password when postgresql.enabled=true
            auth.issuer                          | ''           | auth: set auth.issuer and auth.audience, so that only tokens issued for PortBank
            auth.audience                        | ''           | auth: set auth.issuer and auth.audience, so that only tokens issued for PortBank
            auth.jwksUrl                         | http://idp.example/jwks | at '/auth/jwksUrl': 'http://idp.example/jwks' does not match pattern
            auth.rolesClaim                      | ''           | at '/auth/rolesClaim': minLength: got 0, want 1
            debug.enabled                        | true         | debug: debug.enabled=true lets whoever reaches the debugger run any code in the pod
            """)
    void rejectsBadValuesWithAClearMessage(String setting, String value, String message) {
        assertThat(Chart.renderError(ValueSet.DEFAULTS, Map.of(setting, value))).contains(message);
    }

    @Test
    void devModeOrAPublicKeyStandsInForAJwksUrl() {
        Map<String, Object> devMode = Map.of("auth.jwksUrl", "", "auth.devMode", true);
        Map<String, Object> publicKey = Map.of("auth.jwksUrl", "", "auth.publicKey", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----");

        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, devMode)).doesNotThrowAnyException();
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, publicKey)).doesNotThrowAnyException();
    }

    @Test
    void issuerAndAudienceMayBeLeftOutOnlyWithTheOptOut() {
        Release release = Chart.render(ValueSet.DEFAULTS, Map.of("auth.issuer", "", "auth.audience", "",
                "auth.issuerAudienceOptional", true, "auth.rolesClaim", "realm_access.roles"));

        assertThat(release.config()).containsEntry("AUTH_ISSUER_AUDIENCE_OPTIONAL", "true")
                .containsEntry("AUTH_ROLES_CLAIM", "realm_access.roles");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            ingress.enabled | true
            service.type    | LoadBalancer
            """)
    void devModeIsNeverExposed(String setting, String value) {
        assertThat(Chart.renderError(ValueSet.DEV, Map.of(setting, value)))
                .contains("auth: auth.devMode=true accepts tokens that anyone can mint, so it cannot be exposed");
    }

    @Test
    void devModeInTheClusterAcknowledgesThatThePodBindsAllInterfaces() {
        assertThat(Chart.render(ValueSet.DEV).config()).containsEntry("AUTH_DEV_MODE", "true")
                .containsEntry("AUTH_DEV_MODE_ALLOW_REMOTE", "true");
        assertThat(Chart.render(ValueSet.DEFAULTS).config()).doesNotContainKey("AUTH_DEV_MODE_ALLOW_REMOTE");
    }

    @Test
    void debugPortMustDifferFromTheAppPortsOnlyWhenDebugIsOn() {
        assertThat(Chart.renderError(ValueSet.DEV, Map.of("debug.port", 8081))).contains("must all differ");
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, Map.of("debug.port", 8081))).doesNotThrowAnyException();
    }
}
