package dev.portbank.auth;

/** Why a bearer token was refused; the slug is the problem type, so clients and tests can tell them apart. */
public enum TokenRejected {
    MISSING_TOKEN("missing-token", "no bearer token: send Authorization: Bearer <JWT>"),
    MALFORMED_TOKEN("malformed-token", "the bearer token is not a well-formed signed JWT with an expiry (exp)"),
    ALGORITHM_NOT_ALLOWED("algorithm-not-allowed", "the token's signing algorithm is not accepted"),
    UNKNOWN_KEY("unknown-key", "no accepted key matches the token's key id and algorithm"),
    BAD_SIGNATURE("bad-signature", "the token's signature does not verify"),
    EXPIRED("token-expired", "the token has expired"),
    NOT_YET_VALID("token-not-yet-valid", "the token is not valid yet (nbf or iat in the future)"),
    WRONG_ISSUER("wrong-issuer", "the token was issued by another issuer"),
    WRONG_AUDIENCE("wrong-audience", "the token is meant for another audience"),
    MISSING_SUBJECT("missing-subject", "the token has no subject (sub)"),
    PROVIDER_UNAVAILABLE("auth-provider-unavailable",
            "the identity provider's keys cannot be fetched and none are cached; try again shortly");

    private final String slug;
    private final String detail;

    TokenRejected(String slug, String detail) {
        this.slug = slug;
        this.detail = detail;
    }

    public String slug() {
        return slug;
    }

    public String detail() {
        return detail;
    }
}
