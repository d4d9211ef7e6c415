package dev.portbank.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** {@code redis://[user:password@]host:port[/db]} or {@code rediss://} (TLS); the password stays out of logs. */
public record RedisUrl(String host, int port, int database, boolean tls, Optional<String> user,
                       Optional<String> password) {
    private static final int DEFAULT_PORT = 6379;

    public static RedisUrl parse(String url, Optional<String> passwordOverride) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("REDIS_URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new InvalidSettingException("REDIS_URL must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
            throw new InvalidSettingException("REDIS_URL has no host");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(DatabaseUrl.decode(parts[0])).filter(u -> !u.isEmpty());
            password = parts.length == 2 ? Optional.of(DatabaseUrl.decode(parts[1])) : Optional.empty();
        }
        Optional<String> urlPassword = password;
        return new RedisUrl(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(),
                database(uri.getPath()), scheme.equals("rediss"), user, passwordOverride.or(() -> urlPassword));
    }

    /** Safe to log. */
    public String redacted() {
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return redacted();
    }

    private static int database(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("REDIS_URL's path must be a database number, such as /0");
        }
    }
}
