package dev.portbank.auth;

import dev.portbank.platform.StartupException;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secure by default: PortBank does not start without a way to verify tokens, nor with a key it cannot use, nor in
 * development mode where others can reach it.
 */
class StartupTest {
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
    void noKeyAndNoDevModeRefusesToStart() {
        assertThatThrownBy(() -> TestServer.start(database, Map.of("AUTH_DEV_MODE", "false")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("AUTH_JWKS_URL")
                .hasMessageContaining("AUTH_PUBLIC_KEY");
    }

    @Test
    void badPemRefusesToStartNamingTheSetting() {
        String pem = "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> TestServer.start(database, Map.of("AUTH_DEV_MODE", "false",
                "AUTH_PUBLIC_KEY", pem, "AUTH_ISSUER", SigningKey.ISSUER, "AUTH_AUDIENCE", SigningKey.AUDIENCE)))
                .isInstanceOf(StartupException.class)
                .hasMessage("AUTH_PUBLIC_KEY is not a valid PEM-encoded RSA or EC public key");
    }

    @Test
    void devModeOnAllInterfacesRefusesToStartNamingBothWaysOut() {
        assertThatThrownBy(() -> TestServer.start(database, Map.of("HOST", "0.0.0.0")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("AUTH_DEV_MODE=true")
                .hasMessageContaining("HOST=127.0.0.1")
                .hasMessageContaining("AUTH_DEV_MODE_ALLOW_REMOTE=true");
    }

    @Test
    void devModeStartsOnLoopbackOrWithTheAcknowledgement() {
        try (TestServer loopback = TestServer.start(database, Map.of("HOST", "localhost"))) {
            assertThat(loopback.portBank().isRunning()).isTrue();
        }
        try (TestServer acknowledged = TestServer.start(database, Map.of("HOST", "0.0.0.0",
                "AUTH_DEV_MODE_ALLOW_REMOTE", "true"))) {
            assertThat(acknowledged.portBank().isRunning()).isTrue();
        }
    }

    @Test
    void configuredKeysNeedAnIssuerAndAnAudience() {
        String pem = SigningKey.rsa("startup").publicPem();

        assertThatThrownBy(() -> TestServer.start(database, Map.of("AUTH_DEV_MODE", "false",
                "AUTH_PUBLIC_KEY", pem, "AUTH_ISSUER", SigningKey.ISSUER)))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("set AUTH_AUDIENCE:");
    }
}
