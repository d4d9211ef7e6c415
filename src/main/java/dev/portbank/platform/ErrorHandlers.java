package dev.portbank.platform;

import io.helidon.common.Weighted;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Translates exceptions to problem+json once, at the routing root: handlers throw, this answers. A database outage
 * (see {@link DatabaseFaults}) is 503 {@code database-unavailable} with {@code Retry-After}, never a 500; other
 * unexpected faults are logged with the request id and answered 500 without any internals.
 */
public final class ErrorHandlers {
    private static final Logger LOG = Logger.getLogger(ErrorHandlers.class.getName());
    /** PostgreSQL restarts or fails over in seconds; a client that waits this long usually succeeds. */
    static final String DATABASE_RETRY_AFTER_SECONDS = "1";

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
        if (DatabaseFaults.isUnavailable(e)) {
            databaseUnavailable(request, response, e);
            return;
        }
        LOG.log(Level.SEVERE, "request failed: " + request.prologue().method().text() + " "
                + request.path().rawPath(), e);
        Json.sendProblem(response, Problem.of(Status.INTERNAL_SERVER_ERROR_500, "internal-error",
                "Internal error", "the server could not complete the request; quote X-Request-Id "
                        + RequestId.current() + " when reporting it"));
    }

    /** A backing-service outage is routine in a cluster: one warning line, no stack trace, and a retryable 503. */
    private static void databaseUnavailable(ServerRequest request, ServerResponse response, Exception e) {
        LOG.log(Level.WARNING, "database unavailable: " + request.prologue().method().text() + " "
                + request.path().rawPath() + " (" + rootMessage(e) + ")");
        response.header(HeaderNames.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS);
        Json.sendProblem(response, Problem.of(Status.SERVICE_UNAVAILABLE_503, "database-unavailable",
                "Database unavailable", "the database is unavailable or restarting; retry after the Retry-After delay"
                        + ", with the same Idempotency-Key for a money movement (if it was committed, the retry "
                        + "answers it again)"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getClass().getSimpleName() + ": " + root.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
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
