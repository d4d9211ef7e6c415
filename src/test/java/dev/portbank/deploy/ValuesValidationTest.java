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
    void debugPortMustDifferFromTheAppPortsOnlyWhenDebugIsOn() {
        assertThat(Chart.renderError(ValueSet.DEV, Map.of("debug.port", 8081))).contains("must all differ");
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, Map.of("debug.port", 8081))).doesNotThrowAnyException();
    }
}
