package dev.portbank.auth;

import com.nimbusds.jwt.JWTParser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Tokens this instance has verified, so that a client's next call skips the signature check (the largest part of
 * a balance read's CPU). Keyed by the token's SHA-256, never the token; an entry lives no longer than the token's
 * {@code exp}; a refused token is never kept; at most {@code capacity} entries, all dropped when full.
 */
final class VerifiedTokens {
    static final int DEFAULT_CAPACITY = 10_000;

    private final Map<String, Verified> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final Clock clock;

    private record Verified(Principal principal, Instant expiresAt) {
    }

    VerifiedTokens(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The verdict for this token: remembered if it was accepted before and has not expired, else verified now. */
    TokenVerifier.Verdict verify(String token, Function<String, TokenVerifier.Verdict> verifier) {
        String key = digest(token);
        Instant now = clock.instant();
        Verified known = entries.get(key);
        if (known != null) {
            if (now.isBefore(known.expiresAt())) {
                return new TokenVerifier.Verdict.Accepted(known.principal());
            }
            entries.remove(key, known);
        }
        TokenVerifier.Verdict verdict = verifier.apply(token);
        if (verdict instanceof TokenVerifier.Verdict.Accepted accepted) {
            expiry(token).filter(now::isBefore).ifPresent(expiresAt -> remember(key, accepted.principal(), expiresAt));
        }
        return verdict;
    }

    int size() {
        return entries.size();
    }

    private void remember(String key, Principal principal, Instant expiresAt) {
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(key, new Verified(principal, expiresAt));
    }

    /** The token's {@code exp}; a token without one is not kept (it would be kept forever). */
    private static Optional<Instant> expiry(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return Optional.ofNullable(exp).map(Date::toInstant);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
