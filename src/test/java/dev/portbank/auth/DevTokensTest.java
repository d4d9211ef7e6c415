package dev.portbank.auth;

import com.nimbusds.jwt.SignedJWT;
import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The {@code token} command's development tokens: what a dev-mode server accepts, and nothing else does. */
class DevTokensTest {
    private static final TokenVerifier DEV_MODE = TokenVerifier.create(new Settings.Auth(Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30), true));

    static Stream<Arguments> commandLines() {
        return Stream.of(
                Arguments.of(List.of("--sub", "alice"), new Principal("alice", Set.of(Role.CUSTOMER))),
                Arguments.of(List.of("--sub", "tess", "--role", "teller"), new Principal("tess", Set.of(Role.TELLER))),
                Arguments.of(List.of("--role", "ADMIN", "--sub", "root", "--role", "teller"),
                        new Principal("root", Set.of(Role.ADMIN, Role.TELLER))));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void commandLineMintsATokenDevModeAccepts(List<String> arguments, Principal expected) {
        assertThat(DEV_MODE.verify(DevTokens.fromArguments(arguments)))
                .isEqualTo(new TokenVerifier.Verdict.Accepted(expected));
    }

    @Test
    void tokensLastTwelveHoursUnlessToldOtherwise() throws ParseException {
        assertThat(expiry(DevTokens.fromArguments(List.of("--sub", "a"))))
                .isCloseTo(Instant.now().plus(Duration.ofHours(12)), within(Duration.ofMinutes(1)));
        assertThat(expiry(DevTokens.fromArguments(List.of("--sub", "a", "--ttl-seconds", "60"))))
                .isCloseTo(Instant.now().plusSeconds(60), within(Duration.ofSeconds(10)));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of(), DevTokens.USAGE),
                Arguments.of(List.of("--role", "teller"), DevTokens.USAGE),
                Arguments.of(List.of("--sub", " "), DevTokens.USAGE),
                Arguments.of(List.of("--sub", "a", "--role"), "--role needs a value"),
                Arguments.of(List.of("--sub", "a", "--role", "root"), "--role must be customer, teller or admin"),
                Arguments.of(List.of("--sub", "a", "--ttl-seconds", "soon"), "--ttl-seconds must be a positive"),
                Arguments.of(List.of("--sub", "a", "--ttl-seconds", "0"), "--ttl-seconds must be a positive"),
                Arguments.of(List.of("--subject", "a"), "unknown option --subject"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLineSaysWhatIsWrong(List<String> arguments, String message) {
        assertThatThrownBy(() -> DevTokens.fromArguments(arguments))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining(message);
    }

    private static Instant expiry(String token) throws ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    }
}
