package dev.portbank.ratelimit;

import dev.portbank.auth.Principal;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.Json;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Charges every authenticated {@code GET} and {@code HEAD} to its principal's read limit, so that one token cannot
 * keep the database busy with reads (or with probes of unknown ids). Runs after {@link dev.portbank.auth.Authentication}.
 */
public final class ReadLimit implements Filter {
    private final RateLimiter reads;

    public ReadLimit(RateLimiter reads) {
        this.reads = reads;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Method method = request.prologue().method();
        var principal = request.context().get(Principal.class);
        if (principal.isPresent() && (method.equals(Method.GET) || method.equals(Method.HEAD))) {
            try {
                reads.acquire(principal.get());
            } catch (ApiException refused) {
                refused.headers().forEach(response::header);
                Json.sendProblem(response, refused.problem());
                return;
            }
        }
        chain.proceed();
    }
}
