package dev.portbank.platform;

import io.helidon.common.Weighted;
import io.helidon.http.BadRequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Translates exceptions to problem+json once, at the routing root: handlers throw, this answers. Unexpected faults
 * are logged with the request id and answered 500 without any internals.
 */
public final class ErrorHandlers {
    private static final Logger LOG = Logger.getLogger(ErrorHandlers.class.getName());

    private ErrorHandlers() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorHandlers::answer)
                .error(BadRequestException.class, (req, res, e) -> Json.sendProblem(res,
                        Problem.of(Status.BAD_REQUEST_400, "bad-request", "Bad request", "the request is malformed")))
                .error(Exception.class, ErrorHandlers::fault);
    }

    private static void answer(ServerRequest request, ServerResponse response, ApiException e) {
        e.headers().forEach(response::header);
        Json.sendProblem(response, e.problem());
    }

    private static void fault(ServerRequest request, ServerResponse response, Exception e) {
        LOG.log(Level.SEVERE, "request failed: " + request.prologue().method().text() + " "
                + request.path().rawPath(), e);
        Json.sendProblem(response, Problem.of(Status.INTERNAL_SERVER_ERROR_500, "internal-error",
                "Internal error", "the server could not complete the request; quote X-Request-Id "
                        + RequestId.current() + " when reporting it"));
    }

    /**
     * The last route of a socket: anything no service or feature (OpenAPI, health, metrics) claimed answers 404 as
     * problem+json. Its weight puts it after every feature.
     */
    public static HttpFeature notFoundFallback() {
        return new NotFoundFallback();
    }

    private static void notFound(ServerRequest request, ServerResponse response) {
        Json.sendProblem(response, Problem.of(Status.NOT_FOUND_404, "not-found", "Not found",
                "no resource at " + request.prologue().uriPath().path()));
    }

    private static final class NotFoundFallback implements HttpFeature, Weighted {
        @Override
        public void setup(HttpRouting.Builder routing) {
            routing.any(ErrorHandlers::notFound);
        }

        @Override
        public double weight() {
            return 1;
        }
    }
}
