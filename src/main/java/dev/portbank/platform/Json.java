package dev.portbank.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Strict JSON in, JSON out: the only place request bodies are read and response bodies are written. */
public final class Json {
    /** Bodies larger than this are refused before they are parsed. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public static final HttpMediaType APPLICATION_JSON = HttpMediaType.create("application/json");
    public static final HttpMediaType PROBLEM_JSON = HttpMediaType.create("application/problem+json");

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Reads a JSON object body of at most {@code maxBytes}, or throws the 415/413/400 the client deserves. */
    public static JsonNode readObject(ServerRequest request, int maxBytes) {
        requireJsonContentType(request);
        request.headers().contentLength().ifPresent(length -> {
            if (length > maxBytes) {
                throw tooLarge(maxBytes);
            }
        });
        byte[] body = readAtMost(request.content().inputStream(), maxBytes);
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.of(Status.BAD_REQUEST_400, "malformed-json", "Malformed JSON",
                        "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.of(Status.BAD_REQUEST_400, "malformed-json", "Malformed JSON",
                    "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readObject(ServerRequest request) {
        return readObject(request, MAX_BODY_BYTES);
    }

    /** Sends {@code body} as JSON with the given status. */
    public static void send(ServerResponse response, Status status, Object body) {
        response.status(status);
        response.headers().contentType(APPLICATION_JSON);
        response.send(write(body));
    }

    /** Sends a problem, the error shape of the whole API. */
    public static void sendProblem(ServerResponse response, Problem problem) {
        response.status(Status.create(problem.status()));
        response.headers().contentType(PROBLEM_JSON);
        response.send(write(problem));
    }

    public static byte[] write(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireJsonContentType(ServerRequest request) {
        boolean json = request.headers().contentType()
                .map(type -> type.mediaType().type().equals("application")
                        && (type.mediaType().subtype().equals("json") || type.mediaType().subtype().endsWith("+json")))
                .orElse(false);
        if (!json) {
            throw ApiException.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type",
                    "Unsupported media type", "send the body as application/json");
        }
        if (!request.headers().contains(HeaderNames.CONTENT_LENGTH)
                && !request.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
            throw ApiException.of(Status.BAD_REQUEST_400, "malformed-json", "Malformed JSON", "the body is empty");
        }
    }

    private static byte[] readAtMost(InputStream in, int maxBytes) {
        try (in) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.of(Status.BAD_REQUEST_400, "malformed-json", "Malformed JSON",
                    "the body could not be read");
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.of(Status.REQUEST_ENTITY_TOO_LARGE_413, "body-too-large", "Body too large",
                "the body must be at most " + maxBytes + " bytes");
    }
}
