package dev.portbank.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL location given as {@code postgres://user:pass@host:port/db?sslmode=...}, {@code postgresql://...} or
 * {@code jdbc:postgresql://...}. The password is kept out of {@link #toString()} and {@link #redacted()}.
 */
public record DatabaseUrl(String host, int port, String database, Optional<String> user, Optional<String> password,
                          Map<String, String> parameters) {

    private static final int DEFAULT_PORT = 5432;

    public DatabaseUrl {
        parameters = Map.copyOf(parameters);
    }

    /** Parses any of the three accepted forms; errors name {@code DATABASE_URL} and never echo a password. */
    public static DatabaseUrl parse(String url) {
        String rest = stripScheme(url);
        URI uri;
        try {
            uri = new URI("postgres://" + rest);
        } catch (URISyntaxException e) {
            throw invalid("it is not a valid URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("it has no host");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.length() <= 1 || path.indexOf('/', 1) >= 0) {
            throw invalid("it names no database (expected .../dbname)");
        }
        Map<String, String> parameters = parseQuery(uri.getRawQuery());
        Optional<String> user = userInfoPart(uri, 0).or(() -> Optional.ofNullable(parameters.remove("user")));
        Optional<String> password = userInfoPart(uri, 1).or(() -> Optional.ofNullable(parameters.remove("password")));
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return new DatabaseUrl(uri.getHost(), port, decode(path.substring(1)), user, password, parameters);
    }

    /** The same location with another user or password (from {@code DATABASE_USER} / {@code DATABASE_PASSWORD}). */
    public DatabaseUrl withCredentials(Optional<String> newUser, Optional<String> newPassword) {
        return new DatabaseUrl(host, port, database, newUser.or(() -> user), newPassword.or(() -> password),
                parameters);
    }

    /** The same server, another database (tests and the dev runner create their own). */
    public DatabaseUrl withDatabase(String otherDatabase) {
        return new DatabaseUrl(host, port, otherDatabase, user, password, parameters);
    }

    /** The JDBC URL without credentials; those go to the driver as properties. */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hostForUrl()).append(':').append(port)
                .append('/').append(database);
        char separator = '?';
        for (var parameter : parameters.entrySet()) {
            url.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = '&';
        }
        return url.toString();
    }

    /** Safe to log: {@code postgres://user@host:port/db}. */
    public String redacted() {
        return "postgres://" + user.map(u -> u + "@").orElse("") + hostForUrl() + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return redacted();
    }

    private String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String stripScheme(String url) {
        String trimmed = url == null ? "" : url.trim();
        for (String scheme : new String[] {"jdbc:postgresql://", "postgresql://", "postgres://"}) {
            if (trimmed.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return trimmed.substring(scheme.length());
            }
        }
        int colon = trimmed.indexOf(':');
        String shown = colon > 0 && colon < 20 ? trimmed.substring(0, colon + 1) + "//..." : "a value without a scheme";
        throw new InvalidSettingException("DATABASE_URL must start with postgres://, postgresql:// or "
                + "jdbc:postgresql:// (got " + shown + ")");
    }

    private static Optional<String> userInfoPart(URI uri, int index) {
        String info = uri.getRawUserInfo();
        if (info == null || info.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = info.split(":", 2);
        return index < parts.length && !parts[index].isEmpty() ? Optional.of(decode(parts[index])) : Optional.empty();
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] keyValue = pair.split("=", 2);
            parameters.put(decode(keyValue[0]), keyValue.length == 2 ? decode(keyValue[1]) : "");
        }
        return parameters;
    }

    /** Percent-decoding for URL parts; a literal '+' stays a '+' (it is not a form encoding). */
    static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static InvalidSettingException invalid(String why) {
        return new InvalidSettingException("DATABASE_URL cannot be used: " + why);
    }
}
