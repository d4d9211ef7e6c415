package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * Tokens for local development mode only, signed with an HMAC key drawn at random when the process first needs it.
 * The key lives only in this process's memory (never written, never logged), so a token is accepted only by the
 * process that minted it; other processes get one through its {@code POST /dev/tokens}.
 */
public final class DevTokens {
    public static final String ISSUER = "portbank-dev";
    public static final Duration DEFAULT_TTL = Duration.ofHours(12);
    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;
    private static final int KEY_BYTES = 32; // HS256 wants a key as long as its hash

    private final SecretKey key;

    private DevTokens(SecretKey key) {
        this.key = key;
    }

    /** The development key of this process: every server a process starts shares it, no other process has it. */
    public static DevTokens ofThisProcess() {
        return ProcessKey.TOKENS;
    }

    /** A key of its own, as another process would draw. */
    public static DevTokens random() {
        byte[] secret = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(secret);
        return new DevTokens(new SecretKeySpec(secret, "HmacSHA256"));
    }

    /** A development token for {@code subject} with {@code roles}, valid for {@code ttl}. */
    public String mint(String subject, Collection<Role> roles, Duration ttl) {
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
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }

    public String mint(String subject, Role... roles) {
        return mint(subject, List.of(roles), DEFAULT_TTL);
    }

    SecretKey verificationKey() {
        return key;
    }

    @Override
    public String toString() {
        return "DevTokens[key never shown]";
    }

    /** Drawn on first use (the holder idiom), so a process that never runs dev mode never draws one. */
    private static final class ProcessKey {
        static final DevTokens TOKENS = random();
    }
}
