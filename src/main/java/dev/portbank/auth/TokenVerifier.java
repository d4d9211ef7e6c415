package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;

import java.net.URI;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Verifies bearer JWTs with nimbus-jose-jwt: the algorithm allow-list first (never {@code none}, never HMAC with
 * asymmetric keys), then the signature with a key from the JWKS endpoint or a PEM key, then the claims, each failure
 * with its own {@link TokenRejected reason}.
 */
public final class TokenVerifier {
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final int MIN_RSA_BITS = 2048;

    private final Set<JWSAlgorithm> allowed;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /** The outcome of one verification. */
    public sealed interface Verdict {
        /** The token is good; this is who sent it. */
        record Accepted(Principal principal) implements Verdict {
        }

        /** The token is refused, for this reason. */
        record Rejected(TokenRejected reason) implements Verdict {
        }
    }

    private TokenVerifier(Set<JWSAlgorithm> allowed, JWKSource<SecurityContext> keys, Settings.Auth settings,
                          Optional<String> issuer, Clock clock) {
        this.allowed = Set.copyOf(allowed);
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new StrongKeys(new JWSVerificationKeySelector<>(this.allowed, keys)));
        processor.setJWTClaimsSetVerifier(new Claims(issuer, settings.audience(), settings.clockSkew(), clock));
    }

    /** The verifier the settings ask for; refuses to exist without keys unless dev mode was chosen. */
    public static TokenVerifier create(Settings.Auth settings) {
        return create(settings, Clock.systemUTC());
    }

    static TokenVerifier create(Settings.Auth settings, Clock clock) {
        if (settings.jwksUrl().isPresent()) {
            return new TokenVerifier(ASYMMETRIC, jwks(settings.jwksUrl().get()), settings, settings.issuer(), clock);
        }
        if (settings.publicKeyPem().isPresent()) {
            return new TokenVerifier(ASYMMETRIC, pem(settings.publicKeyPem().get()), settings, settings.issuer(),
                    clock);
        }
        if (settings.devMode()) {
            return new TokenVerifier(Set.of(DevTokens.ALGORITHM), new ImmutableSecret<>(DevTokens.secret()),
                    settings, Optional.of(DevTokens.ISSUER), clock);
        }
        throw new StartupException("no token keys configured: set AUTH_JWKS_URL or AUTH_PUBLIC_KEY "
                + "(or AUTH_DEV_MODE=true for local development only)");
    }

    public Verdict verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return new Verdict.Rejected(TokenRejected.MALFORMED_TOKEN);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return new Verdict.Rejected(jwt.getHeader().getAlgorithm() == com.nimbusds.jose.Algorithm.NONE
                    ? TokenRejected.ALGORITHM_NOT_ALLOWED : TokenRejected.MALFORMED_TOKEN);
        }
        if (!allowed.contains(signed.getHeader().getAlgorithm())) {
            return new Verdict.Rejected(TokenRejected.ALGORITHM_NOT_ALLOWED);
        }
        try {
            JWTClaimsSet claims = processor.process(signed, null);
            return new Verdict.Accepted(new Principal(claims.getSubject(), roles(claims)));
        } catch (ClaimRejected e) {
            return new Verdict.Rejected(e.reason);
        } catch (BadJWSException e) {
            return new Verdict.Rejected(TokenRejected.BAD_SIGNATURE);
        } catch (BadJOSEException e) {
            return new Verdict.Rejected(TokenRejected.UNKNOWN_KEY);
        } catch (KeySourceException e) {
            return new Verdict.Rejected(TokenRejected.PROVIDER_UNAVAILABLE);
        } catch (JOSEException e) {
            return new Verdict.Rejected(TokenRejected.BAD_SIGNATURE);
        }
    }

    private static Set<Role> roles(JWTClaimsSet claims) {
        Object claim = claims.getClaim("roles");
        Collection<?> values = switch (claim) {
            case null -> List.of();
            case Collection<?> list -> list;
            case String text -> List.of(text.split("[ ,]+"));
            default -> List.of();
        };
        Set<Role> roles = EnumSet.noneOf(Role.class);
        values.forEach(value -> Role.parse(String.valueOf(value)).ifPresent(roles::add));
        return roles;
    }

    private static JWKSource<SecurityContext> jwks(String url) {
        try {
            var retriever = new DefaultResourceRetriever(2_000, 2_000, 512 * 1024);
            return JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL(), retriever)
                    .cache(TimeUnit.MINUTES.toMillis(5), TimeUnit.SECONDS.toMillis(3))
                    .rateLimited(TimeUnit.SECONDS.toMillis(10))
                    .outageTolerant(TimeUnit.HOURS.toMillis(24))
                    .build();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new StartupException("AUTH_JWKS_URL is not a valid URL");
        }
    }

    private static JWKSource<SecurityContext> pem(String pem) {
        try {
            JWK key = JWK.parseFromPEMEncodedObjects(pem);
            return new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()));
        } catch (JOSEException | RuntimeException e) {
            throw new StartupException("AUTH_PUBLIC_KEY is not a PEM-encoded RSA or EC public key");
        }
    }

    /** A claims check that failed, with the reason to report. */
    private static final class ClaimRejected extends BadJWTException {
        private final TokenRejected reason;

        ClaimRejected(TokenRejected reason) {
            super(reason.detail());
            this.reason = reason;
        }
    }

    /** Expiry, not-before, issuer, audience and subject, each reported separately. */
    private record Claims(Optional<String> issuer, Optional<String> audience, Duration skew, Clock clock)
            implements JWTClaimsSetVerifier<SecurityContext> {
        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            Instant now = clock.instant();
            if (claims.getExpirationTime() == null) {
                throw new ClaimRejected(TokenRejected.MALFORMED_TOKEN);
            }
            if (now.isAfter(claims.getExpirationTime().toInstant().plus(skew))) {
                throw new ClaimRejected(TokenRejected.EXPIRED);
            }
            if (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant().minus(skew))) {
                throw new ClaimRejected(TokenRejected.NOT_YET_VALID);
            }
            if (claims.getIssueTime() != null && now.isBefore(claims.getIssueTime().toInstant().minus(skew))) {
                throw new ClaimRejected(TokenRejected.NOT_YET_VALID);
            }
            if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
                throw new ClaimRejected(TokenRejected.WRONG_ISSUER);
            }
            if (audience.isPresent() && (claims.getAudience() == null
                    || !claims.getAudience().contains(audience.get()))) {
                throw new ClaimRejected(TokenRejected.WRONG_AUDIENCE);
            }
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                throw new ClaimRejected(TokenRejected.MISSING_SUBJECT);
            }
        }
    }

    /** Drops RSA keys shorter than 2048 bits, so a weak key in a JWKS never verifies anything. */
    private record StrongKeys(JWSKeySelector<SecurityContext> delegate) implements JWSKeySelector<SecurityContext> {
        @Override
        public List<? extends Key> selectJWSKeys(com.nimbusds.jose.JWSHeader header, SecurityContext context)
                throws KeySourceException {
            return delegate.selectJWSKeys(header, context).stream()
                    .filter(key -> !(key instanceof java.security.interfaces.RSAKey rsa)
                            || rsa.getModulus().bitLength() >= MIN_RSA_BITS)
                    .toList();
        }
    }
}
