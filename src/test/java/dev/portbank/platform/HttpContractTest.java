package dev.portbank.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

import static dev.portbank.testing.TestServer.customer;
import static org.assertj.core.api.Assertions.assertThat;

/** Routing-level contract: 404/405 problems, request ids, the two sockets, and the OpenAPI document. */
class HttpContractTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();
    private static final String ZERO = "00000000-0000-0000-0000-000000000000";

    @Test
    void unknownRouteIsProblem404() {
        Api.Response response = BANK.api().get("/v2/nothing", customer("a"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.problem()).isEqualTo("not-found");
    }

    @ParameterizedTest
    @CsvSource({"DELETE,/v1/accounts", "PUT,/v1/accounts/" + ZERO, "GET,/v1/transfers", "GET,/v1/deposits",
            "PATCH,/v1/withdrawals", "GET,/v1/accounts/" + ZERO + "/close", "POST,/v1/accounts/" + ZERO + "/balance"})
    void wrongMethodIsProblem405WithAllow(String method, String path) {
        Api.Response response = BANK.api().send(method, path, customer("a"), null, Map.of());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.problem()).isEqualTo("method-not-allowed");
        assertThat(response.header("Allow")).isNotBlank();
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        Api.Response sent = BANK.api().send("GET", "/v1/accounts", customer("a"), null, Map.of("X-Request-Id", "trace-42"));
        Api.Response generated = BANK.api().get("/v1/accounts", customer("a"));

        assertThat(sent.header("X-Request-Id")).isEqualTo("trace-42");
        assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    }

    @ParameterizedTest
    @CsvSource({"/observe/health", "/observe/health/live", "/observe/health/ready", "/observe/metrics"})
    void operationsEndpointsAreOnlyOnTheAdminSocket(String path) {
        assertThat(BANK.api().get(path, null).status()).isEqualTo(404);
        assertThat(BANK.server().admin().get(path, null).status()).isEqualTo(200);
    }

    @Test
    void readinessChecksTheDatabaseAndMigrations() {
        JsonNode ready = BANK.server().admin().get("/observe/health/ready", null).json();

        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.toString()).contains("\"migrationsApplied\":true").contains("\"answers\":true");
    }

    @Test
    void metricsArePrometheusTextWithRequestHistogramAndPool() {
        BANK.api().get("/v1/accounts", customer("m"));

        Api.Response metrics = BANK.server().admin().get("/observe/metrics", null);

        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.raw()).contains("portbank_http_requests_seconds_bucket")
                .contains("route=\"/v1/accounts/\"").contains("portbank_db_pool_active")
                .contains("jvm_");
    }

    @Test
    void openApiIsServedOnTheApiSocketWithoutAToken() {
        Api.Response response = BANK.api().get("/openapi", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.raw()).contains("openapi: 3");
    }

    @Test
    void everyDocumentedOperationIsRouted() throws IOException {
        JsonNode paths = openApi().path("paths");
        Iterator<Map.Entry<String, JsonNode>> entries = paths.fields();
        int checked = 0;
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String path = entry.getKey().replace("{id}", ZERO);
            for (Iterator<String> methods = entry.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                Api.Response response = BANK.api().send(method, path, TestServer.admin("docs"),
                        method.equals("POST") ? "{}" : null, Map.of("Content-Type", "application/json",
                                "Idempotency-Key", "docs-" + checked));
                assertThat(response.status()).as(method + " " + path + " -> " + response).isNotIn(405, 500);
                if (response.status() == 404) {
                    assertThat(response.json().path("detail").asText()).as(method + " " + path)
                            .doesNotStartWith("no resource at");
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(12);
    }

    private static JsonNode openApi() throws IOException {
        try (InputStream in = HttpContractTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return Api.JSON.valueToTree(new Yaml().load(in));
        }
    }
}
