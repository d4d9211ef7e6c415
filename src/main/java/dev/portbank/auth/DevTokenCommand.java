package dev.portbank.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.platform.Json;
import dev.portbank.platform.StartupException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code token} command. Only the running instance holds its development key, so the command asks it for a
 * token at {@code POST /dev/tokens} (by default the instance on this host's {@code PORT}, as {@code make run} starts
 * it) and prints it; every failure is one line saying which instance did not help, and why.
 */
public final class DevTokenCommand {
    static final String USAGE = "usage: token --sub NAME [--role customer|teller|admin]... [--ttl-seconds N] "
            + "[--url http://127.0.0.1:8080]";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What the command line asks for: whose token, which roles, how long, from which instance. */
    record TokenWanted(URI instance, String subject, Set<Role> roles, Optional<Long> ttlSeconds) {
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("subject", subject);
            body.put("roles", roles.stream().map(Role::claimValue).toList());
            ttlSeconds.ifPresent(seconds -> body.put("ttlSeconds", seconds));
            return body;
        }

        URI endpoint() {
            return URI.create(instance.toString().replaceAll("/+$", "") + "/dev/tokens");
        }
    }

    private DevTokenCommand() {
    }

    /** The token for {@code arguments}, from the instance they name or else {@code defaultInstance}. */
    public static String run(List<String> arguments, URI defaultInstance) {
        return fetch(parse(arguments, defaultInstance));
    }

    /** Reads {@code --sub NAME [--role ROLE]... [--ttl-seconds N] [--url URL]}; bad arguments say what is wrong. */
    static TokenWanted parse(List<String> arguments, URI defaultInstance) {
        if (arguments.size() % 2 != 0) {
            throw new StartupException(arguments.getLast() + " needs a value; " + USAGE);
        }
        String subject = null;
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Optional<Long> ttl = Optional.empty();
        URI instance = defaultInstance;
        for (int i = 0; i < arguments.size(); i += 2) {
            String value = arguments.get(i + 1);
            switch (arguments.get(i)) {
                case "--sub" -> subject = value;
                case "--role" -> roles.add(Role.parse(value).orElseThrow(() -> new StartupException(
                        "--role must be customer, teller or admin, got '" + value + "'")));
                case "--ttl-seconds" -> ttl = Optional.of(ttlSeconds(value));
                case "--url" -> instance = url(value);
                default -> throw new StartupException("unknown option " + arguments.get(i) + "; " + USAGE);
            }
        }
        if (subject == null || subject.isBlank()) {
            throw new StartupException(USAGE);
        }
        return new TokenWanted(instance, subject, roles.isEmpty() ? Set.of(Role.CUSTOMER) : roles, ttl);
    }

    static String fetch(TokenWanted wanted) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(wanted.endpoint())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(wanted.body())))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StartupException("no PortBank answers at " + wanted.instance() + " (" + reason(e) + "); start "
                    + "one in development mode (make run) or name it with --url", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while asking " + wanted.instance() + " for a token", e);
        }
        return token(wanted.instance(), response);
    }

    private static String token(URI instance, HttpResponse<byte[]> response) {
        if (response.statusCode() == 404) {
            throw new StartupException("the PortBank at " + instance + " mints no development tokens: it runs "
                    + "without AUTH_DEV_MODE=true, or with token keys configured");
        }
        JsonNode body;
        try {
            body = Json.parse(response.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (response.statusCode() != 200 || body == null || !body.path("token").isTextual()) {
            String detail = body == null ? "" : body.path("detail").asText("") + " " + body.path("errors").toString();
            throw new StartupException("the PortBank at " + instance + " answered " + response.statusCode()
                    + " instead of a token" + (detail.isBlank() ? "" : ": " + detail.strip()));
        }
        return body.get("token").textValue();
    }

    /** The first message along the causes: the JDK's client often wraps "Connection refused" in a bare exception. */
    private static String reason(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static long ttlSeconds(String seconds) {
        try {
            long value = Long.parseLong(seconds);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException("--ttl-seconds must be a positive number of seconds, got '" + seconds + "'");
    }

    private static URI url(String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new StartupException("--url must be an http:// or https:// URL of a PortBank, got '" + value + "'");
    }
}
