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

/**
 * Every {@code /v1} call needs a valid bearer token; this filter verifies it and attaches the {@link Principal}.
 * A refusal is a 401 that says why (never echoing the token) and one audit line.
 */
public final class Authentication implements Filter {
    private static final String PROTECTED_PREFIX = "/v1";
    private static final String BEARER = "Bearer ";
    private static final EventLog AUDIT = EventLog.named("audit");

    private final TokenVerifier verifier;

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
        String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        TokenVerifier.Verdict verdict;
        if (header == null) {
            verdict = new TokenVerifier.Verdict.Rejected(TokenRejected.MISSING_TOKEN);
        } else if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            verdict = new TokenVerifier.Verdict.Rejected(TokenRejected.MALFORMED_TOKEN);
        } else {
            verdict = verifier.verify(header.substring(BEARER.length()).trim());
        }
        switch (verdict) {
            case TokenVerifier.Verdict.Accepted accepted -> {
                request.context().register(accepted.principal());
                chain.proceed();
            }
            case TokenVerifier.Verdict.Rejected rejected -> refuse(request, response, rejected.reason());
        }
    }

    private static void refuse(RoutingRequest request, RoutingResponse response, TokenRejected reason) {
        AUDIT.warn("authentication-refused", "principal", "-", "action",
                request.prologue().method().text() + " " + request.prologue().uriPath().path(), "outcome", reason.slug(),
                "requestId", RequestId.current());
        boolean unavailable = reason == TokenRejected.PROVIDER_UNAVAILABLE;
        String challenge = reason == TokenRejected.MISSING_TOKEN ? "Bearer realm=\"portbank\""
                : "Bearer realm=\"portbank\", error=\"invalid_token\", error_description=\"" + reason.slug() + "\"";
        response.header(HeaderNames.WWW_AUTHENTICATE, challenge);
        if (unavailable) {
            response.header(HeaderNames.RETRY_AFTER, "5");
        }
        Json.sendProblem(response, Problem.of(unavailable ? Status.SERVICE_UNAVAILABLE_503 : Status.UNAUTHORIZED_401,
                reason.slug(), unavailable ? "Identity provider unavailable" : "Unauthorized", reason.detail()));
    }
}
