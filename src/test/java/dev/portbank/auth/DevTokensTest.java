package dev.portbank.auth;

import com.nimbusds.jwt.SignedJWT;
import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Development tokens: each process signs with a key of its own, and the {@code token} command's arguments. */
class DevTokensTest {
    private static final Settings.Auth DEV_MODE = new Settings.Auth(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Duration.ofSeconds(30), true);
    private static final URI LOCAL = URI.create("http://127.0.0.1:8080");

    @Test
    void aTokenIsAcceptedOnlyWhereItsKeyIs() {
        DevTokens ours = DevTokens.random();
        DevTokens theirs = DevTokens.random();
        String token = ours.mint("alice", Role.ADMIN);

        assertThat(TokenVerifier.create(DEV_MODE, ours).verify(token))
                .isEqualTo(new TokenVerifier.Verdict.Accepted(new Principal("alice", Set.of(Role.ADMIN))));
        assertThat(TokenVerifier.create(DEV_MODE, theirs).verify(token))
                .isEqualTo(new TokenVerifier.Verdict.Rejected(TokenRejected.BAD_SIGNATURE));
    }

    @Test
    void theProcessKeyIsOneAndNeverShown() {
        assertThat(DevTokens.ofThisProcess()).isSameAs(DevTokens.ofThisProcess()).isNotSameAs(DevTokens.random());
        assertThat(DevTokens.ofThisProcess().toString()).doesNotContain(
                java.util.HexFormat.of().formatHex(DevTokens.ofThisProcess().verificationKey().getEncoded()));
        assertThat(DevTokens.ofThisProcess().verificationKey().getEncoded()).hasSize(32);
    }

    @Test
    void tokensLastTwelveHoursUnlessToldOtherwise() throws ParseException {
        DevTokens tokens = DevTokens.random();
        assertThat(expiry(tokens.mint("a", Role.CUSTOMER)))
                .isCloseTo(Instant.now().plus(Duration.ofHours(12)), within(Duration.ofMinutes(1)));
        assertThat(expiry(tokens.mint("a", List.of(Role.CUSTOMER), Duration.ofSeconds(60))))
                .isCloseTo(Instant.now().plusSeconds(60), within(Duration.ofSeconds(10)));
    }

    static Stream<Arguments> commandLines() {
        return Stream.of(
                Arguments.of(List.of("--sub", "alice"), Map.of("subject", "alice", "roles", List.of("customer"))),
                Arguments.of(List.of("--sub", "tess", "--role", "teller", "--ttl-seconds", "60"),
                        Map.of("subject", "tess", "roles", List.of("teller"), "ttlSeconds", 60L)),
                Arguments.of(List.of("--role", "ADMIN", "--sub", "root", "--role", "teller"),
                        Map.of("subject", "root", "roles", List.of("teller", "admin"))));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void commandLineAsksForTheTokenItNames(List<String> arguments, Map<String, Object> body) {
        DevTokenCommand.TokenWanted wanted = DevTokenCommand.parse(arguments, LOCAL);

        assertThat(wanted.body()).containsExactlyInAnyOrderEntriesOf(body);
        assertThat(wanted.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8080/dev/tokens"));
    }

    @Test
    void urlOptionNamesTheInstance() {
        assertThat(DevTokenCommand.parse(List.of("--sub", "a", "--url", "https://dev.example:8443/"), LOCAL)
                .endpoint()).isEqualTo(URI.create("https://dev.example:8443/dev/tokens"));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of(), DevTokenCommand.USAGE),
                Arguments.of(List.of("--role", "teller"), DevTokenCommand.USAGE),
                Arguments.of(List.of("--sub", " "), DevTokenCommand.USAGE),
                Arguments.of(List.of("--sub", "a", "--role"), "--role needs a value"),
                Arguments.of(List.of("--sub", "a", "--role", "root"), "--role must be customer, teller or admin"),
                Arguments.of(List.of("--sub", "a", "--ttl-seconds", "soon"), "--ttl-seconds must be a positive"),
                Arguments.of(List.of("--sub", "a", "--ttl-seconds", "0"), "--ttl-seconds must be a positive"),
                Arguments.of(List.of("--sub", "a", "--url", "localhost:8080"), "--url must be an http:// or https://"),
                Arguments.of(List.of("--subject", "a"), "unknown option --subject"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLineSaysWhatIsWrong(List<String> arguments, String message) {
        assertThatThrownBy(() -> DevTokenCommand.parse(arguments, LOCAL))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining(message);
    }

    private static Instant expiry(String token) throws ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    }
}
