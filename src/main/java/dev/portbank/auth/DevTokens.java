package dev.portbank.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portbank.platform.StartupException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Tokens for local development mode only. They are signed with a secret that ships in the jar and is therefore
 * public: a server accepts them only when started with {@code AUTH_DEV_MODE=true}, and says so loudly.
 */
public final class DevTokens {
    public static final String ISSUER = "portbank-dev";
    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;
    static final String USAGE = "usage: token --sub NAME [--role customer|teller|admin]... [--ttl-seconds N]";
    private static final Duration DEFAULT_TTL = Duration.ofHours(12);
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
        return mint(subject, List.of(roles), DEFAULT_TTL);
    }

    /**
     * The token {@code portbank.jar token --sub NAME [--role ROLE]... [--ttl-seconds N]} prints: a customer's unless
     * roles are given, valid for 12 hours unless told otherwise. Bad arguments are a {@link StartupException} that
     * says what is wrong.
     */
    public static String fromArguments(List<String> arguments) {
        if (arguments.size() % 2 != 0) {
            throw new StartupException(arguments.getLast() + " needs a value; " + USAGE);
        }
        String subject = null;
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Duration ttl = DEFAULT_TTL;
        for (int i = 0; i < arguments.size(); i += 2) {
            String value = arguments.get(i + 1);
            switch (arguments.get(i)) {
                case "--sub" -> subject = value;
                case "--role" -> roles.add(Role.parse(value).orElseThrow(() -> new StartupException(
                        "--role must be customer, teller or admin, got '" + value + "'")));
                case "--ttl-seconds" -> ttl = ttl(value);
                default -> throw new StartupException("unknown option " + arguments.get(i) + "; " + USAGE);
            }
        }
        if (subject == null || subject.isBlank()) {
            throw new StartupException(USAGE);
        }
        return mint(subject, roles.isEmpty() ? Set.of(Role.CUSTOMER) : roles, ttl);
    }

    private static Duration ttl(String seconds) {
        try {
            long value = Long.parseLong(seconds);
            if (value > 0) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException("--ttl-seconds must be a positive number of seconds, got '" + seconds + "'");
    }
}
