package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** The tokens an attacker builds: unsigned, HMAC-signed with a public key, or a good token with a part replaced. */
final class Forgery {
    private Forgery() {
    }

    /** {@code alg: none}, no signature. */
    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** HS256 keyed with {@code secret}: with a server's public key bytes, the classic algorithm confusion. */
    static String hmac(byte[] secret, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** {@code token} with its claims replaced, header and signature kept. */
    static String withClaims(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];
    }

    /** {@code token} with the header of {@code other}, claims and signature kept. */
    static String withHeaderOf(String token, String other) {
        return other.substring(0, other.indexOf('.')) + token.substring(token.indexOf('.'));
    }
}
