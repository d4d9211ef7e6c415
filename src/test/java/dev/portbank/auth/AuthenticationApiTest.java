package dev.portbank.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer-token contract over HTTP, against a PortBank configured with a PEM key, an issuer and an audience: every
 * refusal is a 401 problem with a challenge and the reason's slug, and never echoes the token.
 */
class AuthenticationApiTest {
    private static final SigningKey KEY = SigningKey.rsa("portbank-test");
    private static final SigningKey OTHER = SigningKey.rsa("other");
    private static final String REALM = "Bearer realm=\"portbank\"";
    private static TestDatabase database;
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        server = TestServer.start(database, pemSettings(Map.of("AUTH_PUBLIC_KEY", KEY.publicPem())));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        database.close();
    }

    /** A refused {@code Authorization} header (null: none sent) and the slug it must be refused with. */
    record BadToken(String name, String authorization, String slug) {
        Map<String, String> headers() {
            return authorization == null ? Map.of() : Map.of("Authorization", authorization);
        }

        /** What must never come back: the credential and each sizeable part of it. */
        List<String> secrets() {
            if (authorization == null || authorization.length() <= "Bearer ".length()) {
                return List.of();
            }
            String credential = authorization.substring(authorization.indexOf(' ') + 1);
            return Stream.concat(Stream.of(credential), Arrays.stream(credential.split("\\.")))
                    .filter(part -> part.length() >= 16).toList();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadToken> badTokens() {
        Instant now = Instant.now();
        JWTClaimsSet good = SigningKey.claims("mallory").build();
        String valid = KEY.sign(good);
        return Stream.of(
                new BadToken("no Authorization header", null, "missing-token"),
                new BadToken("not the Bearer scheme", "Basic bWFsbG9yeTpzZWNyZXQtcGFzc3dvcmQ=", "malformed-token"),
                new BadToken("empty bearer token", "Bearer", "malformed-token"),
                new BadToken("garbage", "Bearer garbage-" + UUID.randomUUID(), "malformed-token"),
                new BadToken("alg none", bearer(Forgery.unsigned(good)), "algorithm-not-allowed"),
                new BadToken("HS256 keyed with the RSA public key",
                        bearer(Forgery.hmac(KEY.publicPem().getBytes(StandardCharsets.US_ASCII), good)),
                        "algorithm-not-allowed"),
                new BadToken("ES256 while an RSA key is configured", bearer(SigningKey.ec("ec").sign(good)),
                        "algorithm-not-allowed"),
                new BadToken("expired", bearer(KEY.sign(with(good).expirationTime(minutesFrom(now, -10)).build())),
                        "token-expired"),
                new BadToken("nbf in the future",
                        bearer(KEY.sign(with(good).notBeforeTime(minutesFrom(now, 10)).build())),
                        "token-not-yet-valid"),
                new BadToken("wrong issuer", bearer(KEY.sign(with(good).issuer("https://evil.example").build())),
                        "wrong-issuer"),
                new BadToken("wrong audience", bearer(KEY.sign(with(good).audience("another-api").build())),
                        "wrong-audience"),
                new BadToken("no audience", bearer(KEY.sign(with(good).audience((String) null).build())),
                        "wrong-audience"),
                new BadToken("no subject", bearer(KEY.sign(with(good).subject(null).build())), "missing-subject"),
                new BadToken("no exp", bearer(KEY.sign(with(good).expirationTime(null).build())),
                        "malformed-token"),
                new BadToken("claims tampered, signature kept",
                        bearer(Forgery.withClaims(valid, with(good).claim("roles", List.of("admin")).build())),
                        "bad-signature"),
                new BadToken("header of another token", bearer(Forgery.withHeaderOf(valid,
                        KEY.sign(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(KEY.kid()).build(), good))),
                        "bad-signature"),
                new BadToken("signed by another key", bearer(OTHER.sign(good)), "bad-signature"),
                new BadToken("signed by a 1024-bit RSA key", bearer(SigningKey.rsa("weak", 1024).sign(good)),
                        "bad-signature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokenIsUnauthorizedWithItsReasonAndNoEcho(BadToken bad) {
        Api.Response response = api.send("GET", "/v1/accounts", null, null, bad.headers());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.problem()).isEqualTo(bad.slug());
        assertThat(response.header("WWW-Authenticate")).startsWith(REALM);
        String everything = response.raw() + response.headers().map();
        assertThat(bad.secrets()).allSatisfy(secret -> assertThat(everything).doesNotContain(secret));
    }

    @Test
    void missingTokenGetsTheBareChallenge() {
        Api.Response response = api.get("/v1/accounts", null);

        assertThat(response.header("WWW-Authenticate")).isEqualTo(REALM);
    }

    @Test
    void badTokenChallengeNamesTheError() {
        Api.Response response = api.get("/v1/accounts", "garbage");

        assertThat(response.header("WWW-Authenticate"))
                .isEqualTo(REALM + ", error=\"invalid_token\", error_description=\"malformed-token\"");
    }

    @Test
    void refusedMovementMovesNoMoney() {
        String alice = KEY.token("alice");
        String from = api.openAccount(alice, "EUR");
        String forged = Forgery.withClaims(alice, SigningKey.claims("alice").claim("roles", List.of("teller"))
                .build());

        Api.Response response = api.move("/v1/deposits", forged, Map.of("account", from, "amount", 100,
                "currency", "EUR"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(api.balance(alice, from)).isZero();
    }

    @Test
    void goodTokenIsAccepted() {
        String token = KEY.token("alice");

        Api.Response response = api.post("/v1/accounts", token, Map.of("currency", "EUR"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(api.get("/v1/accounts/" + response.text("id"), token).status()).isEqualTo(200);
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsAccepted() {
        String token = KEY.sign(SigningKey.claims("bea").expirationTime(Date.from(Instant.now().minusSeconds(10)))
                .build());

        assertThat(api.get("/v1/accounts", token).status()).isEqualTo(200);
    }

    @Test
    void openApiAndTheAdminSocketNeedNoToken() {
        assertThat(api.get("/openapi", null).status()).isEqualTo(200);
        assertThat(server.admin().get("/observe/health/live", null).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1", "/v1/nothing", "/./v1/accounts", "//v1/accounts", "/x/../v1/accounts",
            "/openapi/../v1/accounts", "/v1%2Faccounts"})
    void everyPathThatReachesV1NeedsAToken(String rawPath) throws IOException {
        assertThat(api.rawStatus(rawPath)).isEqualTo(401);
    }

    @Test
    void publicKeyFileWorksLikeTheVariable(@TempDir Path directory) throws IOException {
        Path pem = Files.writeString(directory.resolve("jwt.pem"), KEY.publicPem());

        try (TestServer fromFile = TestServer.start(database, pemSettings(Map.of("AUTH_PUBLIC_KEY_FILE",
                pem.toString())))) {
            assertThat(fromFile.api().get("/v1/accounts", KEY.token("cleo")).status()).isEqualTo(200);
            assertThat(fromFile.api().get("/v1/accounts", OTHER.token("cleo")).problem())
                    .isEqualTo("bad-signature");
        }
    }

    private static Map<String, String> pemSettings(Map<String, String> key) {
        Map<String, String> env = new HashMap<>(key);
        env.put("AUTH_DEV_MODE", "false");
        env.put("AUTH_ISSUER", SigningKey.ISSUER);
        env.put("AUTH_AUDIENCE", SigningKey.AUDIENCE);
        return env;
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JWTClaimsSet.Builder with(JWTClaimsSet claims) {
        return new JWTClaimsSet.Builder(claims);
    }

    private static Date minutesFrom(Instant now, long minutes) {
        return Date.from(now.plus(Duration.ofMinutes(minutes)));
    }
}
