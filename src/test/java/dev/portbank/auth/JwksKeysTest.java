package dev.portbank.auth;

import dev.portbank.config.Settings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys from a JWKS endpoint: cached, refetched for an unknown key id (at most twice per rate-limit interval, see
 * {@link VerificationKeys.JwksPolicy#DEFAULT}), kept through an outage, given up on after the timeout.
 */
class JwksKeysTest {
    private static final TokenVerifier.Verdict UNKNOWN_KEY = new TokenVerifier.Verdict.Rejected(
            TokenRejected.UNKNOWN_KEY);
    private static final TokenVerifier.Verdict PROVIDER_UNAVAILABLE = new TokenVerifier.Verdict.Rejected(
            TokenRejected.PROVIDER_UNAVAILABLE);
    private static final SigningKey CURRENT = SigningKey.rsa("key-2026-01");
    private static final SigningKey NEXT = SigningKey.rsa("key-2026-02");
    private static final SigningKey STRANGER = SigningKey.rsa("stranger");

    @Test
    void keysAreFetchedOnceAndCached() {
        try (JwksServer provider = JwksServer.serving(CURRENT);
             TokenVerifier verifier = verifier(provider.url(), VerificationKeys.JwksPolicy.DEFAULT)) {
            assertThat(verifier.verify(CURRENT.token("amy"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
            assertThat(verifier.verify(CURRENT.token("amy"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);

            assertThat(provider.fetches()).isEqualTo(1);
        }
    }

    @Test
    void rotatedKeyIsFetchedAsSoonAsATokenNamesIt() {
        try (JwksServer provider = JwksServer.serving(CURRENT);
             TokenVerifier verifier = verifier(provider.url(), VerificationKeys.JwksPolicy.DEFAULT)) {
            assertThat(verifier.verify(CURRENT.token("ben"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
            provider.publish(NEXT);

            // The first fetch opened the rate-limit interval; it allows this one more.
            assertThat(verifier.verify(NEXT.token("ben"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
            assertThat(verifier.verify(CURRENT.token("ben"))).isEqualTo(UNKNOWN_KEY);
            assertThat(provider.fetches()).isEqualTo(2);
        }
    }

    @Test
    void unknownKeyIdsRefetchAtMostOncePerIntervalAndStayUnauthorized() {
        try (JwksServer provider = JwksServer.serving(CURRENT);
             TokenVerifier verifier = verifier(provider.url(), VerificationKeys.JwksPolicy.DEFAULT)) {
            verifier.verify(CURRENT.token("cat"));

            List<TokenVerifier.Verdict> strangers = IntStream.range(0, 5)
                    .mapToObj(i -> verifier.verify(STRANGER.token("cat"))).toList();

            assertThat(strangers).containsOnly(UNKNOWN_KEY);
            assertThat(provider.fetches()).isEqualTo(2);
            assertThat(verifier.verify(CURRENT.token("cat"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
        }
    }

    @Test
    void weakRsaKeyInTheJwksVerifiesNothing() {
        SigningKey weak = SigningKey.rsa("weak", 1024);
        try (JwksServer provider = JwksServer.serving(weak, CURRENT);
             TokenVerifier verifier = verifier(provider.url(), VerificationKeys.JwksPolicy.DEFAULT)) {
            assertThat(verifier.verify(weak.token("dan"))).isEqualTo(UNKNOWN_KEY);
            assertThat(verifier.verify(CURRENT.token("dan"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
        }
    }

    @Test
    void outageKeepsTheLastKeysPastTheirCacheTime() throws InterruptedException {
        var shortCache = new VerificationKeys.JwksPolicy(Duration.ofMillis(300), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofHours(1));
        JwksServer provider = JwksServer.serving(CURRENT);
        try (TokenVerifier verifier = verifier(provider.url(), shortCache)) {
            assertThat(verifier.verify(CURRENT.token("eva"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
            provider.close();
            Thread.sleep(shortCache.cacheTtl().multipliedBy(2).toMillis());

            assertThat(verifier.verify(CURRENT.token("eva"))).isInstanceOf(TokenVerifier.Verdict.Accepted.class);
            assertThat(verifier.verify(STRANGER.token("eva"))).isEqualTo(UNKNOWN_KEY);
        } finally {
            provider.close();
        }
    }

    @Test
    void providerThatNeverAnsweredIsUnavailableNotUnauthorized() throws IOException {
        try (TokenVerifier verifier = verifier("http://127.0.0.1:" + closedPort() + "/jwks",
                VerificationKeys.JwksPolicy.DEFAULT)) {
            // The third attempt is inside the rate-limit interval and does not even try: still no keys.
            List<TokenVerifier.Verdict> verdicts = IntStream.range(0, 3)
                    .mapToObj(i -> verifier.verify(CURRENT.token("fin"))).toList();

            assertThat(verdicts).containsOnly(PROVIDER_UNAVAILABLE);
        }
    }

    @Test
    void providerThatHangsIsGivenUpOnAfterTheTimeout() {
        var timeout = Duration.ofMillis(500);
        try (JwksServer provider = JwksServer.serving(CURRENT);
             TokenVerifier verifier = verifier(provider.url(), new VerificationKeys.JwksPolicy(timeout,
                     Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofHours(24)))) {
            provider.hang();
            long start = System.nanoTime();

            TokenVerifier.Verdict verdict = verifier.verify(CURRENT.token("gil"));

            assertThat(verdict).isEqualTo(PROVIDER_UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.multipliedBy(4));
        }
    }

    private static TokenVerifier verifier(String jwksUrl, VerificationKeys.JwksPolicy policy) {
        return TokenVerifier.create(new Settings.Auth(Optional.of(jwksUrl), Optional.empty(),
                Optional.of(SigningKey.ISSUER), Optional.of(SigningKey.AUDIENCE), Duration.ofSeconds(30), false),
                Clock.systemUTC(), policy);
    }

    /** A local port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
