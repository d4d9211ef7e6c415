package dev.portbank.platform;

import io.helidon.http.Status;

import java.util.List;
import java.util.Map;

/**
 * Thrown by handlers for anything a client got wrong; the routing root turns it into problem+json. It carries no stack
 * trace because it is an answer, not a fault.
 */
public final class ApiException extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    public ApiException(Problem problem) {
        this(problem, Map.of());
    }

    public ApiException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException of(Status status, String slug, String title, String detail) {
        return new ApiException(Problem.of(status, slug, title, detail));
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(Problem.validation(List.of(new Problem.FieldError(field, message))));
    }

    public static ApiException notFound(String what) {
        return of(Status.NOT_FOUND_404, "not-found", "Not found", what + " does not exist");
    }

    public Problem problem() {
        return problem;
    }

    /** Extra response headers, such as {@code Retry-After} or {@code WWW-Authenticate}. */
    public Map<String, String> headers() {
        return headers;
    }
}
