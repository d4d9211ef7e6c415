package dev.portbank.auth;

import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code token} command and {@code POST /dev/tokens} against a running dev-mode PortBank. */
class DevTokenCommandTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    private static URI instance() {
        return URI.create("http://127.0.0.1:" + BANK.server().portBank().port());
    }

    @Test
    void theCommandPrintsATokenTheInstanceAccepts() {
        String token = DevTokenCommand.run(List.of("--sub", "tess", "--role", "teller", "--role", "admin"),
                instance());

        assertThat(BANK.api().get("/v1/accounts", token).status()).isEqualTo(200);
        assertThat(TokenVerifier.create(new Settings.Auth(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(30), true)).verify(token))
                .isEqualTo(new TokenVerifier.Verdict.Accepted(new Principal("tess", Set.of(Role.TELLER, Role.ADMIN))));
    }

    @Test
    void aTokenSignedWithAnotherProcesssKeyIsRefused() {
        Api.Response refused = BANK.api().get("/v1/accounts", DevTokens.random().mint("mallory", Role.ADMIN));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.problem()).isEqualTo("bad-signature");
    }

    @Test
    void theEndpointTakesRolesAndALifetime() {
        Api.Response minted = BANK.api().post("/dev/tokens", null, Map.of("subject", "ann",
                "roles", List.of("teller"), "ttlSeconds", 60));
        Api.Response tooLong = BANK.api().post("/dev/tokens", null, Map.of("subject", "ann",
                "ttlSeconds", 31L * 24 * 3600));
        Api.Response badRole = BANK.api().post("/dev/tokens", null, Map.of("subject", "ann",
                "roles", List.of("root")));

        assertThat(minted.status()).isEqualTo(200);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.raw()).contains("ttlSeconds");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.raw()).contains("roles[0]");
    }

    @Test
    void noInstanceIsOneLineNamingTheUrl() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed);

        assertThatThrownBy(() -> DevTokenCommand.run(List.of("--sub", "a"), nowhere))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("no PortBank answers at " + nowhere)
                .hasMessageContaining("--url");
    }

    @Test
    void anInstanceWithoutDevModeIsNamedAsSuch() {
        try (TestServer keyed = TestServer.start(BANK.database(), Map.of("AUTH_DEV_MODE", "false",
                "AUTH_PUBLIC_KEY", SigningKey.rsa("k").publicPem(), "AUTH_ISSUER", SigningKey.ISSUER,
                "AUTH_AUDIENCE", SigningKey.AUDIENCE))) {
            URI instance = URI.create("http://127.0.0.1:" + keyed.portBank().port());

            assertThatThrownBy(() -> DevTokenCommand.run(List.of("--sub", "a"), instance))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("mints no development tokens");
        }
    }
}
