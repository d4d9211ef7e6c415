package dev.portbank.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token verification without a server: time boundaries, roles, token types and key configuration. */
class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final SigningKey RSA = SigningKey.rsa("rsa-1");
    private static final SigningKey EC = SigningKey.ec("ec-1");
    private static final TokenVerifier VERIFIER = pemVerifier(RSA);

    @Test
    void goodTokenNamesItsSubjectAndRoles() {
        TokenVerifier.Verdict verdict = VERIFIER.verify(RSA.sign(claims("alice").claim("roles", List.of("teller"))
                .build()));

        assertThat(verdict).isEqualTo(new TokenVerifier.Verdict.Accepted(new Principal("alice", Set.of(Role.TELLER))));
    }

    static Stream<Arguments> roleClaims() {
        return Stream.of(
                Arguments.of(null, Set.of(Role.CUSTOMER)),
                Arguments.of(List.of(), Set.of(Role.CUSTOMER)),
                Arguments.of(List.of("teller"), Set.of(Role.TELLER)),
                Arguments.of(List.of("TELLER", "admin"), Set.of(Role.TELLER, Role.ADMIN)),
                Arguments.of("teller admin", Set.of(Role.TELLER, Role.ADMIN)),
                Arguments.of("teller,customer", Set.of(Role.TELLER, Role.CUSTOMER)),
                Arguments.of(List.of("superuser"), Set.of(Role.CUSTOMER)),
                Arguments.of(42, Set.of(Role.CUSTOMER)));
    }

    @ParameterizedTest
    @MethodSource("roleClaims")
    void rolesComeFromTheRolesClaimAndDefaultToCustomer(Object claim, Set<Role> expected) {
        String token = RSA.sign(claims("bob").claim("roles", claim).build());

        assertThat(accepted(VERIFIER.verify(token)).roles()).isEqualTo(expected);
    }

    static Stream<Arguments> timeBoundaries() {
        Duration justInside = SKEW;
        Duration justOutside = SKEW.plusSeconds(1);
        TokenVerifier.Verdict accepted = new TokenVerifier.Verdict.Accepted(new Principal("c", Set.of()));
        return Stream.of(
                Arguments.of("expired within the leeway", claims("c").expirationTime(at(justInside.negated())),
                        accepted),
                Arguments.of("expired beyond the leeway", claims("c").expirationTime(at(justOutside.negated())),
                        rejected(TokenRejected.EXPIRED)),
                Arguments.of("nbf within the leeway", claims("c").notBeforeTime(at(justInside)), accepted),
                Arguments.of("nbf beyond the leeway", claims("c").notBeforeTime(at(justOutside)),
                        rejected(TokenRejected.NOT_YET_VALID)),
                Arguments.of("iat beyond the leeway", claims("c").issueTime(at(justOutside)),
                        rejected(TokenRejected.NOT_YET_VALID)),
                Arguments.of("no exp", claims("c").expirationTime(null), rejected(TokenRejected.MALFORMED_TOKEN)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timeBoundaries")
    void timeClaimsAllowTheClockSkewAndNoMore(String name, JWTClaimsSet.Builder claims,
                                              TokenVerifier.Verdict expected) {
        assertThat(VERIFIER.verify(RSA.sign(claims.build()))).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"JWT", "jwt", "at+jwt", "application/at+jwt"})
    void plainJwtsAndAccessTokensAreAccepted(String type) {
        String token = RSA.sign(RSA.header().type(type == null ? null : new JOSEObjectType(type)).build(),
                claims("dee").build());

        assertThat(VERIFIER.verify(token)).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secevent+jwt", "logout+jwt", "JOSE"})
    void otherTokenTypesAreMalformed(String type) {
        String token = RSA.sign(RSA.header().type(new JOSEObjectType(type)).build(), claims("dee").build());

        assertThat(VERIFIER.verify(token)).isEqualTo(rejected(TokenRejected.MALFORMED_TOKEN));
    }

    @Test
    void pemKeyVerifiesTokensWhateverKeyIdTheyName() {
        String token = RSA.sign(RSA.header().keyID("the-provider's-current-key").build(), claims("eve").build());

        assertThat(VERIFIER.verify(token)).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
    }

    @Test
    void ecPemKeyAcceptsItsCurveAndNoRsa() {
        TokenVerifier verifier = pemVerifier(EC);

        assertThat(verifier.verify(EC.sign(claims("fay").build()))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
        assertThat(verifier.verify(RSA.sign(claims("fay").build())))
                .isEqualTo(rejected(TokenRejected.ALGORITHM_NOT_ALLOWED));
    }

    static Stream<String> garbage() {
        String header = Base64URL.encode("{\"alg\":\"RS256\"}").toString();
        String claims = Base64URL.encode(claims("g").build().toString()).toString();
        return Stream.of("", ".", "..", "a.b.c", header + "..", header + ".e30",
                Base64URL.encode("not json") + "." + claims + ".c2ln",
                Base64URL.encode("{\"typ\":\"JWT\"}") + "." + claims + ".c2ln",
                Base64URL.encode("{\"alg\":42}") + "." + claims + ".c2ln",
                header + "." + Base64URL.encode("[1,2]") + ".c2ln",
                header + "." + Base64URL.encode("{\"sub\":\"g\",\"exp\":\"tomorrow\"}") + ".c2ln",
                header + "." + claims + ".c2ln.extra.parts",
                "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d");
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void garbageIsMalformedNeverAnError(String token) {
        assertThat(VERIFIER.verify(token)).isEqualTo(rejected(TokenRejected.MALFORMED_TOKEN));
    }

    @Test
    void devModeAcceptsDevTokensOnlyWhateverIssuerAndAudienceAreConfigured() {
        TokenVerifier dev = TokenVerifier.create(auth(Optional.empty(), Optional.empty(), true), Clock.systemUTC(),
                VerificationKeys.JwksPolicy.DEFAULT);

        assertThat(dev.verify(DevTokens.ofThisProcess().mint("gus", Role.TELLER)))
                .isEqualTo(new TokenVerifier.Verdict.Accepted(new Principal("gus", Set.of(Role.TELLER))));
        assertThat(dev.verify(RSA.sign(SigningKey.claims("gus").issuer(DevTokens.ISSUER).build())))
                .isEqualTo(rejected(TokenRejected.ALGORITHM_NOT_ALLOWED));
    }

    @Test
    void devModeRefusesADevTokenSignedWithAnotherProcesssKey() {
        TokenVerifier dev = TokenVerifier.create(auth(Optional.empty(), Optional.empty(), true), Clock.systemUTC(),
                VerificationKeys.JwksPolicy.DEFAULT, DevTokens.random());

        assertThat(dev.verify(DevTokens.ofThisProcess().mint("eve", Role.ADMIN)))
                .isEqualTo(rejected(TokenRejected.BAD_SIGNATURE));
        assertThat(dev.verify(DevTokens.random().mint("eve", Role.ADMIN)))
                .isEqualTo(rejected(TokenRejected.BAD_SIGNATURE));
    }

    @Test
    void configuredKeysRefuseDevTokensEvenInDevMode() {
        TokenVerifier verifier = TokenVerifier.create(auth(Optional.empty(), Optional.of(RSA.publicPem()), true),
                Clock.systemUTC(), VerificationKeys.JwksPolicy.DEFAULT);

        assertThat(verifier.verify(DevTokens.ofThisProcess().mint("hal", Role.ADMIN)))
                .isEqualTo(rejected(TokenRejected.ALGORITHM_NOT_ALLOWED));
    }

    static Stream<Arguments> badKeyConfigurations() {
        String rsaPem = RSA.publicPem();
        return Stream.of(
                Arguments.of(Optional.empty(), Optional.empty(), "set AUTH_JWKS_URL or AUTH_PUBLIC_KEY"),
                Arguments.of(Optional.empty(), Optional.of("not a key"), "AUTH_PUBLIC_KEY is not a PEM-encoded"),
                Arguments.of(Optional.empty(), Optional.of(rsaPem.replace("PUBLIC KEY", "PRIVATE KEY")),
                        "AUTH_PUBLIC_KEY holds a private key"),
                Arguments.of(Optional.empty(), Optional.of(rsaPem.replace("PUBLIC KEY", "RSA PUBLIC KEY")),
                        "expected a PUBLIC KEY"),
                Arguments.of(Optional.empty(), Optional.of(rsaPem.replace("MII", "MIX")),
                        "AUTH_PUBLIC_KEY is not a valid PEM-encoded RSA or EC public key"),
                Arguments.of(Optional.empty(), Optional.of(SigningKey.rsa("weak", 1024).publicPem()),
                        "AUTH_PUBLIC_KEY is a 1024-bit RSA key; use one of at least 2048 bits"),
                Arguments.of(Optional.of("jwks.example.test/keys"), Optional.empty(),
                        "AUTH_JWKS_URL must be an https:// URL"),
                Arguments.of(Optional.of("file:///etc/jwks.json"), Optional.empty(),
                        "AUTH_JWKS_URL must be an https:// URL"),
                Arguments.of(Optional.of("http://idp.example.test/jwks.json"), Optional.empty(),
                        "AUTH_JWKS_URL must be an https:// URL (http:// only on a loopback host)"),
                Arguments.of(Optional.of("http://10.0.0.7:8080/jwks.json"), Optional.empty(),
                        "AUTH_JWKS_URL must be an https:// URL"),
                Arguments.of(Optional.of("http://localhost.example.test/jwks.json"), Optional.empty(),
                        "AUTH_JWKS_URL must be an https:// URL"));
    }

    @ParameterizedTest
    @MethodSource("badKeyConfigurations")
    void badKeyConfigurationIsAStartupErrorNamingTheSetting(Optional<String> jwksUrl, Optional<String> pem,
                                                             String message) {
        assertThatThrownBy(() -> TokenVerifier.create(auth(jwksUrl, pem, false), clock(),
                VerificationKeys.JwksPolicy.DEFAULT))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://idp.example.test/jwks.json", "http://127.0.0.1:8089/jwks.json",
            "http://localhost/jwks.json", "http://[::1]:8089/jwks.json", "http://127.0.0.9/jwks.json"})
    void jwksUrlIsHttpsOrLoopback(String url) {
        try (TokenVerifier verifier = TokenVerifier.create(auth(Optional.of(url), Optional.empty(), false), clock(),
                VerificationKeys.JwksPolicy.DEFAULT)) {
            assertThat(verifier).isNotNull();
        }
    }

    static Stream<Arguments> missingIssuerOrAudience() {
        return Stream.of(
                Arguments.of(Optional.empty(), Optional.of(SigningKey.AUDIENCE), "set AUTH_ISSUER:"),
                Arguments.of(Optional.of(SigningKey.ISSUER), Optional.empty(), "set AUTH_AUDIENCE:"),
                Arguments.of(Optional.empty(), Optional.empty(), "set AUTH_ISSUER and AUTH_AUDIENCE:"));
    }

    @ParameterizedTest
    @MethodSource("missingIssuerOrAudience")
    void keysWithoutIssuerAndAudienceRefuseToStart(Optional<String> issuer, Optional<String> audience,
                                                   String message) {
        assertThatThrownBy(() -> TokenVerifier.create(new Settings.Auth(Optional.empty(),
                Optional.of(RSA.publicPem()), issuer, audience, SKEW, false), clock(),
                VerificationKeys.JwksPolicy.DEFAULT))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith(message)
                .hasMessageContaining("AUTH_ISSUER_AUDIENCE_OPTIONAL=true");
    }

    @Test
    void theOptOutAcceptsTokensWithoutIssuerAndAudienceButStillChecksWhatIsSet() {
        TokenVerifier verifier = TokenVerifier.create(new Settings.Auth(Optional.empty(),
                Optional.of(RSA.publicPem()), Optional.empty(), Optional.of(SigningKey.AUDIENCE), SKEW, false,
                "roles", true, false), clock(), VerificationKeys.JwksPolicy.DEFAULT);

        assertThat(verifier.verify(RSA.sign(claims("ines").issuer("https://anyone.example.test").build())))
                .isInstanceOf(TokenVerifier.Verdict.Accepted.class);
        assertThat(verifier.verify(RSA.sign(claims("ines").audience("another-app").build())))
                .isEqualTo(rejected(TokenRejected.WRONG_AUDIENCE));
    }

    @Test
    void aTokenForAnotherApplicationOfTheSameProviderIsRefused() {
        assertThat(VERIFIER.verify(RSA.sign(claims("mallory").audience("another-app")
                .claim("roles", List.of("admin")).build()))).isEqualTo(rejected(TokenRejected.WRONG_AUDIENCE));
    }

    static Stream<Arguments> rolesClaims() {
        return Stream.of(
                Arguments.of("https://portbank.example/roles", "https://portbank.example/roles",
                        List.of("teller"), Set.of(Role.TELLER)),
                Arguments.of("realm_access.roles", "realm_access", java.util.Map.of("roles",
                        List.of("offline_access", "teller")), Set.of(Role.TELLER)),
                Arguments.of("resource_access.portbank.roles", "resource_access", java.util.Map.of("portbank",
                        java.util.Map.of("roles", List.of("admin"))), Set.of(Role.ADMIN)),
                Arguments.of("groups", "groups", List.of("teller"), Set.of(Role.TELLER)),
                Arguments.of("realm_access.roles", "realm_access", List.of("admin"), Set.of(Role.CUSTOMER)));
    }

    @ParameterizedTest
    @MethodSource("rolesClaims")
    void rolesComeFromTheConfiguredClaim(String rolesClaim, String claimName, Object claimValue,
                                         Set<Role> expected) {
        TokenVerifier verifier = TokenVerifier.create(new Settings.Auth(Optional.empty(),
                Optional.of(RSA.publicPem()), Optional.of(SigningKey.ISSUER), Optional.of(SigningKey.AUDIENCE), SKEW,
                false, rolesClaim, false, false), clock(), VerificationKeys.JwksPolicy.DEFAULT);

        String token = RSA.sign(claims("rita").claim(claimName, claimValue).claim("roles", List.of("admin"))
                .build());

        assertThat(accepted(verifier.verify(token)).roles()).as("the top-level roles claim is not trusted")
                .isEqualTo(expected);
    }

    private static TokenVerifier pemVerifier(SigningKey key) {
        return TokenVerifier.create(auth(Optional.empty(), Optional.of(key.publicPem()), false), clock(),
                VerificationKeys.JwksPolicy.DEFAULT);
    }

    private static Settings.Auth auth(Optional<String> jwksUrl, Optional<String> pem, boolean devMode) {
        return new Settings.Auth(jwksUrl, pem, Optional.of(SigningKey.ISSUER), Optional.of(SigningKey.AUDIENCE), SKEW,
                devMode);
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /** Claims valid at {@link #NOW}. */
    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder(SigningKey.claims(subject).build())
                .issueTime(at(Duration.ofMinutes(-1)))
                .expirationTime(at(Duration.ofMinutes(5)));
    }

    private static Date at(Duration fromNow) {
        return Date.from(NOW.plus(fromNow));
    }

    private static TokenVerifier.Verdict rejected(TokenRejected reason) {
        return new TokenVerifier.Verdict.Rejected(reason);
    }

    private static Principal accepted(TokenVerifier.Verdict verdict) {
        assertThat(verdict).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
        return ((TokenVerifier.Verdict.Accepted) verdict).principal();
    }
}
