package dev.portbank.auth;

import dev.portbank.platform.EventLog;
import dev.portbank.platform.Json;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestId;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Clock;

/**
 * Every {@code /v1} call needs a valid bearer token; this filter verifies it and attaches the {@link Principal}.
 * A refusal is a 401 with a {@code WWW-Authenticate} challenge that says why (never echoing the token), or a 503 when
 * the identity provider's keys cannot be had, and one audit line.
 */
public final class Authentication implements Filter {
    private static final String PROTECTED_PREFIX = "/v1";
    private static final String BEARER = "Bearer ";
    private static final String REALM = "Bearer realm=\"portbank\"";
    private static final String PROVIDER_RETRY_SECONDS = "5";
    private static final EventLog AUDIT = EventLog.named("audit");

    private final TokenVerifier verifier;
    private final VerifiedTokens verified = new VerifiedTokens(VerifiedTokens.DEFAULT_CAPACITY, Clock.systemUTC());

    public Authentication(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.prologue().uriPath().path();
        if (!path.equals(PROTECTED_PREFIX) && !path.startsWith(PROTECTED_PREFIX + "/")) {
            chain.proceed();
            return;
        }
        switch (verdict(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null))) {
            case TokenVerifier.Verdict.Accepted accepted -> {
                request.context().register(accepted.principal());
                chain.proceed();
            }
            case TokenVerifier.Verdict.Rejected rejected -> refuse(request, response, rejected.reason());
        }
    }

    private TokenVerifier.Verdict verdict(String authorization) {
        if (authorization == null) {
            return new TokenVerifier.Verdict.Rejected(TokenRejected.MISSING_TOKEN);
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new TokenVerifier.Verdict.Rejected(TokenRejected.MALFORMED_TOKEN);
        }
        return verified.verify(authorization.substring(BEARER.length()).trim(), verifier::verify);
    }

    private static void refuse(RoutingRequest request, RoutingResponse response, TokenRejected reason) {
        AUDIT.warn("authentication-refused", "principal", "-", "action", request.prologue().method().text(),
                "target", request.prologue().uriPath().path(), "outcome", reason.slug(),
                "requestId", RequestId.current());
        if (reason == TokenRejected.PROVIDER_UNAVAILABLE) {
            // Not the client's fault and not a challenge: the same token may well be accepted shortly.
            response.header(HeaderNames.RETRY_AFTER, PROVIDER_RETRY_SECONDS);
            Json.sendProblem(response, Problem.of(Status.SERVICE_UNAVAILABLE_503, reason.slug(),
                    "Identity provider unavailable", reason.detail()));
            return;
        }
        // RFC 6750: a request without credentials gets the bare challenge, a bad token also the error code.
        response.header(HeaderNames.WWW_AUTHENTICATE, reason == TokenRejected.MISSING_TOKEN ? REALM
                : REALM + ", error=\"invalid_token\", error_description=\"" + reason.slug() + "\"");
        Json.sendProblem(response, Problem.of(Status.UNAUTHORIZED_401, reason.slug(), "Unauthorized",
                reason.detail()));
    }
}
