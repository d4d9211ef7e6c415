package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Principal ALICE = new Principal("alice", Set.of(Role.CUSTOMER));

    private final AtomicInteger verifications = new AtomicInteger();

    @Test
    void anAcceptedTokenIsVerifiedOnceUntilItExpires() throws Exception {
        String token = token(NOW.plusSeconds(60));
        VerifiedTokens cache = new VerifiedTokens(10, Clock.fixed(NOW, ZoneOffset.UTC));

        for (int i = 0; i < 5; i++) {
            assertThat(cache.verify(token, accepting())).isEqualTo(new TokenVerifier.Verdict.Accepted(ALICE));
        }

        assertThat(verifications).hasValue(1);
    }

    @Test
    void anExpiredEntryIsVerifiedAgain() throws Exception {
        String token = token(NOW.plusSeconds(60));
        VerifiedTokens early = new VerifiedTokens(10, Clock.fixed(NOW, ZoneOffset.UTC));
        early.verify(token, accepting());
        VerifiedTokens late = new VerifiedTokens(10, Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC));

        late.verify(token, accepting());
        late.verify(token, accepting());

        assertThat(verifications).as("never served past exp").hasValue(3);
    }

    @Test
    void aRefusedTokenIsNeverKept() throws Exception {
        String token = token(NOW.plusSeconds(60));
        VerifiedTokens cache = new VerifiedTokens(10, Clock.fixed(NOW, ZoneOffset.UTC));
        Function<String, TokenVerifier.Verdict> refusing = t -> {
            verifications.incrementAndGet();
            return new TokenVerifier.Verdict.Rejected(TokenRejected.BAD_SIGNATURE);
        };

        cache.verify(token, refusing);
        cache.verify(token, refusing);

        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void theCacheStaysWithinItsCapacity() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(3, Clock.fixed(NOW, ZoneOffset.UTC));

        for (int i = 0; i < 10; i++) {
            cache.verify(token(NOW.plusSeconds(60 + i)), accepting());
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
    }

    private Function<String, TokenVerifier.Verdict> accepting() {
        return t -> {
            verifications.incrementAndGet();
            return new TokenVerifier.Verdict.Accepted(ALICE);
        };
    }

    private static String token(Instant expiresAt) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(expiresAt)).issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .build());
        jwt.sign(new MACSigner(new byte[32]));
        return jwt.serialize();
    }
}
