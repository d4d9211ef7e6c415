package dev.portbank.platform;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * The {@code Idempotency-Key} header: 1..255 printable ASCII. Every money-moving call must carry one; opening an
 * account may. The same key with the same request replays the first answer; with another request it is refused.
 */
public final class IdempotencyKey {
    public static final HeaderName HEADER = HeaderNames.create("Idempotency-Key");
    public static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");
    public static final String REUSED_SLUG = "idempotency-key-reused";
    public static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /** The header's value, if the request has one. */
    public static Optional<String> of(ServerRequest request) {
        return request.headers().first(HEADER);
    }

    /** The key, validated: 400 when it is missing or malformed. */
    public static String parse(Optional<String> header) {
        String key = header.orElseThrow(() -> ApiException.of(Status.BAD_REQUEST_400,
                "idempotency-key-missing", "Idempotency-Key missing",
                "money-moving calls need an Idempotency-Key header (1 to 255 printable ASCII characters)"));
        if (!isValid(key)) {
            throw ApiException.of(Status.BAD_REQUEST_400, "idempotency-key-invalid", "Idempotency-Key invalid",
                    "the Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        return key;
    }

    /** The key if the request has one, validated as {@link #parse} does; empty without one. */
    public static Optional<String> parseOptional(Optional<String> header) {
        return header.map(key -> parse(Optional.of(key)));
    }

    public static boolean isValid(String key) {
        return !key.isEmpty() && key.length() <= MAX_LENGTH && key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    /** The 422 for a key sent again with a different request; {@code detail} says what it was first used for. */
    public static Problem reused(String detail) {
        return Problem.of(Status.UNPROCESSABLE_CONTENT_422, REUSED_SLUG, "Idempotency-Key reused", detail);
    }
}
