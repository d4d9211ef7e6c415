package dev.portbank.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.helidon.http.Status;

import java.util.List;

/**
 * The one error shape of the API (RFC 9457 {@code application/problem+json}). {@code type} ends in a stable slug that
 * clients may switch on; {@code errors} lists the offending fields of a validation problem ({@link FieldError}) or
 * the refused items of a batch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<?> errors) {
    public static final String TYPE_BASE = "https://portbank.dev/problems/";

    /** One invalid field of a request. */
    public record FieldError(String field, String message) {
    }

    public Problem {
        errors = errors == null ? null : List.copyOf(errors);
    }

    public static Problem of(Status status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status.code(), detail, null);
    }

    /** A problem with per-field or per-item details. */
    public static Problem of(Status status, String slug, String title, String detail, List<?> errors) {
        return new Problem(TYPE_BASE + slug, title, status.code(), detail, errors);
    }

    public static Problem validation(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b)
                .orElse("the request is invalid");
        return new Problem(TYPE_BASE + "validation-failed", "Invalid request", Status.BAD_REQUEST_400.code(), detail,
                errors);
    }

    /** The slug at the end of {@link #type()}. */
    public String slug() {
        return type.substring(type.lastIndexOf('/') + 1);
    }
}
