package dev.portbank.loadgen;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Mints the tokens a PortBank in {@code AUTH_DEV_MODE} accepts, as its {@code token} command does: HS256 with the
 * public development key, issuer {@code portbank-dev}, a {@code roles} claim. The generator mints them itself rather
 * than calling into the server, so that it stays a client with no server classes on its path;
 * {@code DevelopmentTokensTest} proves that the server's own verifier accepts them.
 */
final class DevelopmentTokens {
    static final String ISSUER = "portbank-dev";
    /** The development key: public by design, shipped in the server jar and accepted only in dev mode. */
    private static final byte[] KEY = "portbank-local-development-only-never-use-in-production"
            .getBytes(StandardCharsets.US_ASCII);
    /** Longer than any run, so that no token expires mid-run. */
    private static final Duration TTL = Duration.ofHours(12);

    private DevelopmentTokens() {
    }

    /** A token for {@code subject} with one role ({@code customer}, {@code teller} or {@code admin}). */
    static String mint(String subject, String role) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TTL)))
                .claim("roles", List.of(role))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }
}
