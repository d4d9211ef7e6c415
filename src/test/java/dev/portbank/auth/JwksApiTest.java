package dev.portbank.auth;

import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A PortBank whose keys come from an identity provider's JWKS endpoint. */
class JwksApiTest {
    private static final SigningKey PROVIDER_KEY = SigningKey.rsa("provider-key-1");
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void providersTokenIsAcceptedAndAnUnknownKeyIsNot() {
        try (JwksServer provider = JwksServer.serving(PROVIDER_KEY); TestServer server = start(provider.url())) {
            Api api = server.api();

            assertThat(api.post("/v1/accounts", PROVIDER_KEY.token("alice"), Map.of("currency", "EUR")).status())
                    .isEqualTo(201);
            Api.Response unknown = api.get("/v1/accounts", SigningKey.rsa("not-published").token("alice"));
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(unknown.problem()).isEqualTo("unknown-key");
            assertThat(unknown.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
    }

    @Test
    void providerOutageKeepsCachedKeys() {
        JwksServer provider = JwksServer.serving(PROVIDER_KEY);
        try (TestServer server = start(provider.url())) {
            assertThat(server.api().get("/v1/accounts", PROVIDER_KEY.token("bob")).status()).isEqualTo(200);

            provider.close();

            assertThat(server.api().get("/v1/accounts", PROVIDER_KEY.token("bob")).status()).isEqualTo(200);
        } finally {
            provider.close();
        }
    }

    @Test
    void providerNeverReachedIsServiceUnavailableNotAnError() throws IOException {
        try (TestServer server = start("http://127.0.0.1:" + closedPort() + "/jwks")) {
            Api.Response response = server.api().get("/v1/accounts", PROVIDER_KEY.token("carol"));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.problem()).isEqualTo("auth-provider-unavailable");
            assertThat(response.header("Retry-After")).isNotBlank();
        }
    }

    private static TestServer start(String jwksUrl) {
        return TestServer.start(database, Map.of("AUTH_DEV_MODE", "false", "AUTH_JWKS_URL", jwksUrl,
                "AUTH_ISSUER", SigningKey.ISSUER, "AUTH_AUDIENCE", SigningKey.AUDIENCE));
    }

    /** A local port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
