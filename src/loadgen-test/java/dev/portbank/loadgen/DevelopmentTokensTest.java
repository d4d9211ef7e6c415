package dev.portbank.loadgen;

import dev.portbank.auth.DevTokens;
import dev.portbank.auth.Principal;
import dev.portbank.auth.Role;
import dev.portbank.auth.TokenVerifier;
import dev.portbank.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract between the generator's own token minting and the server: the server's verifier in dev mode accepts
 * the generator's tokens, with the principal and role the generator meant.
 */
class DevelopmentTokensTest {
    private static final TokenVerifier DEV_MODE = TokenVerifier.create(new Settings.Auth(Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30), true));

    @Test
    void aDevModeServerAcceptsTheGeneratorsCustomerAndTellerTokens() {
        TokenSource tokens = new TokenSource.Development();

        assertThat(DEV_MODE.verify(tokens.customer("loadgen-1234-7")))
                .isEqualTo(new TokenVerifier.Verdict.Accepted(new Principal("loadgen-1234-7", Set.of(Role.CUSTOMER))));
        assertThat(DEV_MODE.verify(tokens.teller()))
                .isEqualTo(new TokenVerifier.Verdict.Accepted(new Principal("loadgen-teller", Set.of(Role.TELLER))));
    }

    @Test
    void theGeneratorUsesTheServersDevelopmentIssuer() {
        assertThat(DevelopmentTokens.ISSUER).isEqualTo(DevTokens.ISSUER);
    }
}
