package dev.portbank.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.portbank.platform.StartupException;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The keys bearer tokens are verified with, and the signing algorithms they allow: the identity provider's JWKS
 * endpoint, one PEM public key, or the development secret. RSA keys under 2048 bits never verify anything.
 */
final class VerificationKeys implements Closeable {
    static final int MIN_RSA_BITS = 2048;
    static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    static final Set<JWSAlgorithm> EC_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    /** What a JWKS may sign with: asymmetric algorithms only, so a public key can never serve as an HMAC secret. */
    static final Set<JWSAlgorithm> ASYMMETRIC_ALGORITHMS = union(RSA_ALGORITHMS, EC_ALGORITHMS);

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final int MAX_JWKS_BYTES = 512 * 1024;

    private final Set<JWSAlgorithm> algorithms;
    private final JWSKeySelector<SecurityContext> selector;
    private final BooleanSupplier hasKeys;
    private final Closeable resource;

    private VerificationKeys(Set<JWSAlgorithm> algorithms, JWSKeySelector<SecurityContext> selector,
                             BooleanSupplier hasKeys, Closeable resource) {
        this.algorithms = Set.copyOf(algorithms);
        this.selector = selector;
        this.hasKeys = hasKeys;
        this.resource = resource;
    }

    /**
     * How the JWKS endpoint is fetched and cached. Keys are cached for {@code cacheTtl} and refreshed in the background
     * shortly before it ends; a token naming an unknown key refetches at once, but at most twice per
     * {@code minRefreshInterval} (nimbus's rate limit); when the endpoint is down the last key set it served stays in
     * use for {@code outageTtl}.
     */
    record JwksPolicy(Duration timeout, Duration cacheTtl, Duration minRefreshInterval, Duration outageTtl) {
        static final JwksPolicy DEFAULT = new JwksPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5),
                Duration.ofSeconds(10), Duration.ofHours(24));
    }

    /** Keys from the identity provider's JWKS endpoint, selected by the token's {@code kid} and algorithm. */
    static VerificationKeys jwks(String url, JwksPolicy policy) {
        int timeoutMillis = Math.toIntExact(policy.timeout().toMillis());
        var endpoint = new RecordingSource(new URLBasedJWKSetSource<>(jwksUrl(url),
                new DefaultResourceRetriever(timeoutMillis, timeoutMillis, MAX_JWKS_BYTES)));
        JWKSource<SecurityContext> source = JWKSourceBuilder.create(endpoint)
                // A caller waits for another's refresh at most as long as that refresh may take (connect + read).
                .cache(policy.cacheTtl().toMillis(), 2L * timeoutMillis)
                // Refresh in the background near the end of the TTL; virtual threads never keep the JVM alive.
                .refreshAheadCache(policy.cacheTtl().dividedBy(10).toMillis(), null,
                        Executors.newVirtualThreadPerTaskExecutor(), true, null, false)
                .rateLimited(policy.minRefreshInterval().toMillis())
                .outageTolerant(policy.outageTtl().toMillis())
                .build();
        JWSKeySelector<SecurityContext> selector = new StrongKeys(
                new JWSVerificationKeySelector<>(ASYMMETRIC_ALGORITHMS, source));
        return new VerificationKeys(ASYMMETRIC_ALGORITHMS, selector,
                () -> endpoint.servedWithin(policy.outageTtl()), closer(source));
    }

    /**
     * One PEM public key ({@code -----BEGIN PUBLIC KEY-----}), RSA of 2048 bits or more, or EC on P-256, P-384 or
     * P-521. It verifies every token whose algorithm fits it, whatever key id the token names: the PEM has none.
     */
    static VerificationKeys pem(String pem) {
        PublicKey key = parsePem(pem);
        Set<JWSAlgorithm> algorithms = switch (key) {
            case RSAPublicKey rsa when rsa.getModulus().bitLength() < MIN_RSA_BITS -> throw new StartupException(
                    "AUTH_PUBLIC_KEY is a " + rsa.getModulus().bitLength() + "-bit RSA key; use one of at least "
                            + MIN_RSA_BITS + " bits");
            case RSAPublicKey rsa -> RSA_ALGORITHMS;
            case ECPublicKey ec -> ecAlgorithms(Curve.forECParameterSpec(ec.getParams()));
            default -> throw new StartupException("AUTH_PUBLIC_KEY is a " + key.getAlgorithm()
                    + " key; use an RSA (2048+ bits) or EC (P-256, P-384, P-521) public key");
        };
        List<Key> keys = List.of(key);
        return new VerificationKeys(algorithms, (header, context) -> keys, () -> true, () -> { });
    }

    /** The key {@code devTokens} signs with, this process's own; only for {@code AUTH_DEV_MODE=true}. */
    static VerificationKeys development(DevTokens devTokens) {
        List<Key> keys = List.of(devTokens.verificationKey());
        return new VerificationKeys(Set.of(DevTokens.ALGORITHM), (header, context) -> keys, () -> true, () -> { });
    }

    /** The signing algorithms a token may name; anything else is refused before any key is looked up. */
    Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    JWSKeySelector<SecurityContext> selector() {
        return selector;
    }

    /**
     * Whether some key set is at hand (fetched within the outage tolerance), which tells a token with an unknown key
     * from a provider that has never answered when a refetch is rate-limited.
     */
    boolean hasKeys() {
        return hasKeys.getAsBoolean();
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }

    /** The built source closes its whole chain (and the refresh executor), though its type does not say so. */
    private static Closeable closer(JWKSource<SecurityContext> source) {
        return source instanceof Closeable closeable ? closeable : () -> { };
    }

    private static URL jwksUrl(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            // Keys fetched over plain HTTP could be swapped on the way: only a loopback endpoint may use it.
            boolean secure = scheme.equals("https") || scheme.equals("http") && Loopback.is(uri.getHost());
            if (secure && uri.getHost() != null) {
                return uri.toURL();
            }
        } catch (IllegalArgumentException | IOException e) {
            // reported below
        }
        throw new StartupException("AUTH_JWKS_URL must be an https:// URL (http:// only on a loopback host), got '"
                + url + "'");
    }

    private static PublicKey parsePem(String pem) {
        Matcher block = PEM_BLOCK.matcher(pem);
        if (!block.find()) {
            throw new StartupException("AUTH_PUBLIC_KEY is not a PEM-encoded public key: expected "
                    + "-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----");
        }
        String label = block.group(1);
        if (label.contains("PRIVATE")) {
            throw new StartupException("AUTH_PUBLIC_KEY holds a private key; configure the public key only");
        }
        if (!label.equals("PUBLIC KEY")) {
            throw new StartupException("AUTH_PUBLIC_KEY is a PEM " + label + "; expected a PUBLIC KEY "
                    + "(SubjectPublicKeyInfo, as `openssl pkey -pubout` writes it)");
        }
        try {
            return publicKey(Base64.getMimeDecoder().decode(block.group(2)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new StartupException("AUTH_PUBLIC_KEY is not a valid PEM-encoded RSA or EC public key", e);
        }
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static Set<JWSAlgorithm> ecAlgorithms(Curve curve) {
        Set<JWSAlgorithm> algorithms = curve == null ? Set.of() : EC_ALGORITHMS.stream()
                .filter(algorithm -> Curve.forJWSAlgorithm(algorithm).contains(curve))
                .collect(Collectors.toUnmodifiableSet());
        if (algorithms.isEmpty()) {
            throw new StartupException("AUTH_PUBLIC_KEY is an EC key on an unsupported curve; use P-256, P-384 or "
                    + "P-521");
        }
        return algorithms;
    }

    private static Set<JWSAlgorithm> union(Set<JWSAlgorithm> first, Set<JWSAlgorithm> second) {
        return Stream.concat(first.stream(), second.stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The JWKS endpoint, remembering when it last served a key set. */
    private static final class RecordingSource implements JWKSetSource<SecurityContext> {
        private final JWKSetSource<SecurityContext> endpoint;
        private volatile long servedAtNanos;
        private volatile boolean served;

        RecordingSource(JWKSetSource<SecurityContext> endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime,
                                SecurityContext context) throws KeySourceException {
            JWKSet keys = endpoint.getJWKSet(refreshEvaluator, currentTime, context);
            servedAtNanos = System.nanoTime();
            served = true;
            return keys;
        }

        boolean servedWithin(Duration age) {
            return served && System.nanoTime() - servedAtNanos <= age.toNanos();
        }

        @Override
        public void close() throws IOException {
            endpoint.close();
        }
    }

    /** Drops RSA keys shorter than 2048 bits, so a weak key in a JWKS never verifies anything. */
    private record StrongKeys(JWSKeySelector<SecurityContext> delegate) implements JWSKeySelector<SecurityContext> {
        @Override
        public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context)
                throws KeySourceException {
            return delegate.selectJWSKeys(header, context).stream()
                    .filter(key -> !(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() >= MIN_RSA_BITS)
                    .toList();
        }
    }
}
