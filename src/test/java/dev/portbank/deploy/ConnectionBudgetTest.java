package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every pod that can run at once gets its whole connection pool from the server: (most pods + rolling-update surge)
 * x (database.poolSize + 2) + database.reservedConnections must fit database.maxConnections, or the render fails.
 */
class ConnectionBudgetTest {

    @Test
    void defaultsFitPostgresDefaultMaxConnectionsWithAndWithoutTheAutoscaler() {
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS)).doesNotThrowAnyException();
        // (4 + 1) x (16 + 2) + 10 = 100: the autoscaler's default maximum uses the budget exactly.
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, Map.of("autoscaling.enabled", true)))
                .doesNotThrowAnyException();
        assertThatCode(() -> Chart.render(ValueSet.PRODUCTION)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            autoscaling.maxReplicas=5      | true  | 5  | 16 | 100 | 136 | (autoscaling.maxReplicas=5 + 2 rolling-update surge) pods x (database.poolSize=16 + 2)
            autoscaling.maxReplicas=10     | true  | 10 | 16 | 100 | 244 | Lower autoscaling.maxReplicas or database.poolSize
            replicaCount=5                 | false | 5  | 16 | 100 | 136 | (replicaCount=5 + 2 rolling-update surge)
            poolSize=40                    | false | 2  | 40 | 100 | 136 | database.poolSize=40 + 2
            maxConnections=50              | false | 2  | 16 | 50  | 64  | more than database.maxConnections=50
            """)
    void overBudgetFailsTheRenderSayingWhatToChange(String name, boolean autoscaling, int replicas, int poolSize,
                                                    int maxConnections, int needed, String message) {
        Map<String, Object> values = Map.of("autoscaling.enabled", autoscaling,
                autoscaling ? "autoscaling.maxReplicas" : "replicaCount", replicas,
                "database.poolSize", poolSize, "database.maxConnections", maxConnections);

        String error = Chart.renderError(ValueSet.DEFAULTS, values);

        assertThat(error).contains("database: the pods may need " + needed + " connections, more than "
                + "database.maxConnections=" + maxConnections).contains(message);
    }

    @Test
    void aLargerServerOrASmallerPoolMakesRoom() {
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, Map.of("autoscaling.enabled", true,
                "autoscaling.maxReplicas", 10, "database.maxConnections", 300))).doesNotThrowAnyException();
        // (10 + 3) x (4 + 2) + 10 = 88
        assertThatCode(() -> Chart.render(ValueSet.DEFAULTS, Map.of("autoscaling.enabled", true,
                "autoscaling.maxReplicas", 10, "database.poolSize", 4))).doesNotThrowAnyException();
    }

    @Test
    void budgetValuesAreCheckedByTheSchema() {
        assertThat(Chart.renderError(ValueSet.DEFAULTS, Map.of("database.maxConnections", 0)))
                .contains("at '/database/maxConnections': minimum: got 0, want 1");
        assertThat(Chart.renderError(ValueSet.DEFAULTS, Map.of("database.reservedConnections", -1)))
                .contains("at '/database/reservedConnections': minimum: got -1, want 0");
    }
}
