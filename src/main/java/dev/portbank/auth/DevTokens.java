package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * Tokens for local development mode only. They are signed with a secret that ships in the jar and is therefore
 * public: a server accepts them only when started with {@code AUTH_DEV_MODE=true}, and says so loudly.
 */
public final class DevTokens {
    public static final String ISSUER = "portbank-dev";
    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;
    private static final byte[] SECRET = "portbank-local-development-only-never-use-in-production"
            .getBytes(StandardCharsets.US_ASCII);

    private DevTokens() {
    }

    static byte[] secret() {
        return SECRET.clone();
    }

    /** A development token for {@code subject} with {@code roles}, valid for {@code ttl}. */
    public static String mint(String subject, Collection<Role> roles, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim("roles", roles.stream().map(Role::claimValue).toList())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(ALGORITHM), claims);
        try {
            jwt.sign(new MACSigner(SECRET));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }

    public static String mint(String subject, Role... roles) {
        return mint(subject, List.of(roles), Duration.ofHours(12));
    }
}
