package dev.portbank.loadgen;

import dev.portbank.auth.SigningKey;
import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract between the generator and a dev-mode server: the generator's development tokens come from the server
 * under test, which accepts them with the principal and role the generator meant.
 */
class DevelopmentTokensTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();

    private static URI bankUrl() {
        return URI.create("http://127.0.0.1:" + BANK.server().portBank().port() + "/");
    }

    @Test
    void aDevModeServerAcceptsTheTokensItGaveTheGenerator() {
        TokenSource tokens = new TokenSource.Development(bankUrl());
        Api api = BANK.api();

        String account = api.openAccount(tokens.customer("loadgen-1234-7"), "EUR");
        api.deposit(tokens.teller(), account, 100, "EUR");
        assertThat(api.get("/v1/accounts/" + account, tokens.customer("loadgen-1234-7")).status()).isEqualTo(200);
        assertThat(api.get("/v1/accounts/" + account, tokens.customer("loadgen-1234-8")).status())
                .as("another customer's token").isEqualTo(404);
    }

    @Test
    void aServerOutsideDevModeIsASetupErrorThatSaysWhatToDo() {
        try (TestServer keyed = TestServer.start(BANK.database(), Map.of("AUTH_DEV_MODE", "false",
                "AUTH_PUBLIC_KEY", SigningKey.rsa("k").publicPem(), "AUTH_ISSUER", SigningKey.ISSUER,
                "AUTH_AUDIENCE", SigningKey.AUDIENCE))) {
            TokenSource tokens = new TokenSource.Development(URI.create("http://127.0.0.1:"
                    + keyed.portBank().port()));

            assertThatThrownBy(tokens::teller).isInstanceOf(LoadGenException.class)
                    .hasMessageContaining("AUTH_DEV_MODE=true");
        }
    }
}
