package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.portbank.config.Settings;
import dev.portbank.platform.StartupException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer JWTs with nimbus-jose-jwt, each failure with its own {@link TokenRejected reason}: the shape first,
 * then the algorithm allow-list (never {@code none}, never HMAC with asymmetric keys), then the signature with a key
 * from the JWKS endpoint or the PEM key, then the claims.
 */
public final class TokenVerifier implements AutoCloseable {
    /** {@code typ} values accepted besides none: plain JWTs and OAuth 2.0 access tokens (RFC 9068). */
    private static final Set<String> TOKEN_TYPES = Set.of("jwt", "at+jwt");

    private final VerificationKeys keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;

    /** The outcome of one verification. */
    public sealed interface Verdict {
        /** The token is good; this is who sent it. */
        record Accepted(Principal principal) implements Verdict {
        }

        /** The token is refused, for this reason. */
        record Rejected(TokenRejected reason) implements Verdict {
        }
    }

    private TokenVerifier(VerificationKeys keys, Claims claims, String rolesClaim) {
        this.keys = keys;
        this.rolesClaim = rolesClaim;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> { }); // checked in verify(), to report it as malformed
        processor.setJWSKeySelector(keys.selector());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The verifier the settings ask for; refuses to exist without keys unless dev mode was chosen, and with keys but
     * no issuer and audience to check unless that was explicitly allowed.
     */
    public static TokenVerifier create(Settings.Auth settings) {
        return create(settings, DevTokens.ofThisProcess());
    }

    /** As {@link #create(Settings.Auth)}; in dev mode it accepts the tokens {@code devTokens} mints, and no others. */
    public static TokenVerifier create(Settings.Auth settings, DevTokens devTokens) {
        return create(settings, Clock.systemUTC(), VerificationKeys.JwksPolicy.DEFAULT, devTokens);
    }

    static TokenVerifier create(Settings.Auth settings, Clock clock, VerificationKeys.JwksPolicy jwksPolicy) {
        return create(settings, clock, jwksPolicy, DevTokens.ofThisProcess());
    }

    static TokenVerifier create(Settings.Auth settings, Clock clock, VerificationKeys.JwksPolicy jwksPolicy,
                                DevTokens devTokens) {
        if (settings.keysConfigured()) {
            requireIssuerAndAudience(settings);
        }
        Claims claims = new Claims(settings.issuer(), settings.audience(), settings.clockSkew(), clock);
        if (settings.jwksUrl().isPresent()) {
            return new TokenVerifier(VerificationKeys.jwks(settings.jwksUrl().get(), jwksPolicy), claims,
                    settings.rolesClaim());
        }
        if (settings.publicKeyPem().isPresent()) {
            return new TokenVerifier(VerificationKeys.pem(settings.publicKeyPem().get()), claims,
                    settings.rolesClaim());
        }
        if (settings.devMode()) {
            // Development tokens are what `POST /dev/tokens` mints: its issuer, no audience, roles in `roles`.
            return new TokenVerifier(VerificationKeys.development(devTokens),
                    new Claims(Optional.of(DevTokens.ISSUER), Optional.empty(), settings.clockSkew(), clock),
                    Settings.Auth.DEFAULT_ROLES_CLAIM);
        }
        throw new StartupException("no token keys configured: set AUTH_JWKS_URL or AUTH_PUBLIC_KEY "
                + "(or AUTH_DEV_MODE=true for local development only)");
    }

    /**
     * Without an issuer and an audience to check, any token the identity provider signed for any application would
     * be accepted here, with whatever roles it carries.
     */
    private static void requireIssuerAndAudience(Settings.Auth settings) {
        if (settings.issuerAudienceOptional()) {
            return;
        }
        List<String> missing = new java.util.ArrayList<>();
        settings.issuer().ifPresentOrElse(issuer -> { }, () -> missing.add("AUTH_ISSUER"));
        settings.audience().ifPresentOrElse(audience -> { }, () -> missing.add("AUTH_AUDIENCE"));
        if (!missing.isEmpty()) {
            throw new StartupException("set " + String.join(" and ", missing) + ": with token keys configured, "
                    + "PortBank accepts only tokens issued for it (AUTH_ISSUER_AUDIENCE_OPTIONAL=true skips this "
                    + "check for a provider that sets neither)");
        }
    }

    /** The verdict on one bearer token; never throws, however broken the token. */
    public Verdict verify(String token) {
        SignedJWT jwt;
        try {
            JWT parsed = JWTParser.parse(token);
            if (parsed instanceof PlainJWT) {
                return new Verdict.Rejected(TokenRejected.ALGORITHM_NOT_ALLOWED);
            }
            if (!(parsed instanceof SignedJWT signed)) {
                return new Verdict.Rejected(TokenRejected.MALFORMED_TOKEN);
            }
            signed.getJWTClaimsSet(); // the payload must be a claims set
            jwt = signed;
        } catch (ParseException | RuntimeException e) {
            return new Verdict.Rejected(TokenRejected.MALFORMED_TOKEN);
        }
        if (!acceptedType(jwt.getHeader().getType())) {
            return new Verdict.Rejected(TokenRejected.MALFORMED_TOKEN);
        }
        if (!keys.algorithms().contains(jwt.getHeader().getAlgorithm())) {
            return new Verdict.Rejected(TokenRejected.ALGORITHM_NOT_ALLOWED);
        }
        try {
            JWTClaimsSet claims = processor.process(jwt, null);
            return new Verdict.Accepted(new Principal(claims.getSubject(), roles(claimAt(claims, rolesClaim))));
        } catch (ClaimRejected e) {
            return new Verdict.Rejected(e.reason);
        } catch (BadJWSException e) {
            return new Verdict.Rejected(TokenRejected.BAD_SIGNATURE);
        } catch (BadJOSEException e) {
            return new Verdict.Rejected(TokenRejected.UNKNOWN_KEY);
        } catch (RateLimitReachedException e) {
            // The key set was refetched moments ago: the token's key is not in it, unless there is no key set at all.
            return new Verdict.Rejected(keys.hasKeys() ? TokenRejected.UNKNOWN_KEY
                    : TokenRejected.PROVIDER_UNAVAILABLE);
        } catch (KeySourceException e) {
            return new Verdict.Rejected(TokenRejected.PROVIDER_UNAVAILABLE);
        } catch (JOSEException e) {
            return new Verdict.Rejected(TokenRejected.BAD_SIGNATURE);
        }
    }

    @Override
    public void close() {
        try {
            keys.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean acceptedType(JOSEObjectType type) {
        if (type == null) {
            return true;
        }
        String name = type.getType().toLowerCase(Locale.ROOT);
        return TOKEN_TYPES.contains(name.startsWith("application/") ? name.substring("application/".length()) : name);
    }

    /**
     * The claim with this name; failing that, when the name has dots, the value at that path through nested claims
     * ({@code realm_access.roles}). A namespaced name such as {@code https://portbank.example/roles} is found whole.
     */
    static Object claimAt(JWTClaimsSet claims, String name) {
        Object exact = claims.getClaim(name);
        if (exact != null || !name.contains(".")) {
            return exact;
        }
        Object node = claims.getClaims();
        for (String part : name.split("\\.")) {
            if (!(node instanceof java.util.Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    private static Set<Role> roles(Object claim) {
        Collection<?> values = switch (claim) {
            case Collection<?> list -> list;
            case String text -> List.of(text.split("[ ,]+"));
            case null, default -> List.of();
        };
        Set<Role> roles = EnumSet.noneOf(Role.class);
        values.forEach(value -> Role.parse(String.valueOf(value)).ifPresent(roles::add));
        return roles;
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
}
