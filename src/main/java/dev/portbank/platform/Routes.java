package dev.portbank.platform;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;

import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/** Small pieces every service's routing table uses. */
public final class Routes {
    private Routes() {
    }

    /** The handler for a path that exists but not with this method: 405 with {@code Allow}. */
    public static Handler methodNotAllowed(Method... allowed) {
        String allow = Arrays.stream(allowed).map(Method::text).collect(Collectors.joining(", "));
        return (request, response) -> {
            response.header(HeaderNames.ALLOW, allow);
            Json.sendProblem(response, Problem.of(Status.METHOD_NOT_ALLOWED_405, "method-not-allowed",
                    "Method not allowed", request.prologue().method().text() + " is not supported here; use "
                            + allow));
        };
    }

    /** A UUID path parameter; anything else cannot name a resource, so it is answered as unknown. */
    public static UUID uuidParam(ServerRequest request, String name, String what) {
        String raw = request.path().pathParameters().get(name);
        try {
            UUID id = UUID.fromString(raw);
            if (id.toString().equalsIgnoreCase(raw)) {
                return id;
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ApiException.notFound(what + " " + raw);
    }
}
