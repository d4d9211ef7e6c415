package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Set;

/**
 * An identity provider's signing key for tests: it has a key id, publishes its public half and signs tokens. Tests with
 * several PortBank processes configure its public half in each, as a deployment configures its provider's key.
 */
public final class SigningKey {
    public static final String ISSUER = "https://id.portbank.test";
    public static final String AUDIENCE = "portbank-api";

    private final JWK key;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;

    private SigningKey(JWK key, JWSAlgorithm algorithm, JWSSigner signer) {
        this.key = key;
        this.algorithm = algorithm;
        this.signer = signer;
    }

    /** A 2048-bit RSA key that signs RS256. */
    public static SigningKey rsa(String kid) {
        return rsa(kid, 2048);
    }

    /** An RSA key of any size, weak ones included (nimbus refuses to sign with those unless told to). */
    static SigningKey rsa(String kid, int bits) {
        try {
            RSAKey key = new RSAKeyGenerator(bits, true).keyID(kid).generate();
            return new SigningKey(key, JWSAlgorithm.RS256,
                    new RSASSASigner(key.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance())));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A P-256 key that signs ES256. */
    static SigningKey ec(String kid) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
            return new SigningKey(key, JWSAlgorithm.ES256, new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String kid() {
        return key.getKeyID();
    }

    /** The public half as a JWKS publishes it. */
    JWK publicJwk() {
        return key.toPublicJWK();
    }

    /** The public half as {@code -----BEGIN PUBLIC KEY-----} PEM. */
    public String publicPem() {
        try {
            byte[] der = ((AsymmetricJWK) key).toPublicKey().getEncoded();
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims a PortBank configured with {@link #ISSUER} and {@link #AUDIENCE} accepts, valid for five minutes. */
    public static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    /** A good token for {@code subject} with these roles. */
    String token(String subject, Role... roles) {
        return sign(claims(subject).claim("roles", Arrays.stream(roles).map(Role::claimValue).toList()).build());
    }

    /** These claims, signed with this key's algorithm and naming its key id. */
    public String sign(JWTClaimsSet claims) {
        return sign(header().build(), claims);
    }

    /** The header this key signs with, to adjust. */
    JWSHeader.Builder header() {
        return new JWSHeader.Builder(algorithm).keyID(kid()).type(JOSEObjectType.JWT);
    }

    String sign(JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
