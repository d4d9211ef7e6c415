package dev.portbank.platform;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a list answer, {@code {"items": [...], "next": cursor-or-null}}. Cursors are opaque to clients and
 * point at a stable position (an ever-growing sequence), so pages do not shift while new rows arrive.
 */
public record Page<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final String PREFIX = "pb1:";

    public Page {
        items = List.copyOf(items);
    }

    /** The page's {@code limit} query parameter: 1..200, default 50. */
    public static int limit(ServerRequest request) {
        String raw = request.query().first("limit").orElse(null);
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }

    /** The position after which the page starts, from the {@code after} query parameter. */
    public static OptionalLong after(ServerRequest request) {
        String raw = request.query().first("after").orElse(null);
        if (raw == null || raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.US_ASCII);
            if (decoded.startsWith(PREFIX)) {
                return OptionalLong.of(Long.parseLong(decoded.substring(PREFIX.length())));
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ApiException.of(Status.BAD_REQUEST_400, "invalid-cursor", "Invalid cursor",
                "after must be a cursor taken from a previous page's next");
    }

    public static String cursor(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.US_ASCII));
    }
}
