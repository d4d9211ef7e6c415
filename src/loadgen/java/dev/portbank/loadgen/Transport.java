package dev.portbank.loadgen;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/** One client's line to PortBank: a request in, its answer out. Used by one thread at a time. */
interface Transport extends AutoCloseable {

    Response send(Request request) throws IOException;

    @Override
    void close();

    /** A request: {@code token} and {@code idempotencyKey} are sent when not null, {@code body} as JSON. */
    record Request(String method, String path, String token, String idempotencyKey, String body) {
        static Request get(String path, String token) {
            return new Request("GET", path, token, null, null);
        }

        static Request post(String path, String token, String idempotencyKey, String body) {
            return new Request("POST", path, token, idempotencyKey, body);
        }
    }

    record Response(int status, String body) {
        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Hands out one transport per client; closing it releases what they share. */
    @FunctionalInterface
    interface Connector extends AutoCloseable {
        Transport connect();

        @Override
        default void close() {
        }
    }

    /** How requests travel: a raw keep-alive socket per client, or the JDK's {@code HttpClient}. */
    enum Kind {
        SOCKET, JDK;

        static Kind parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "socket" -> SOCKET;
                case "jdk" -> JDK;
                default -> throw new IllegalArgumentException("LOADGEN_TRANSPORT must be socket or jdk, got '"
                        + text + "'");
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Connector connector(Kind kind, URI baseUrl) {
        return switch (kind) {
            case SOCKET -> () -> new SocketTransport(baseUrl);
            case JDK -> JdkHttpTransport.connector(baseUrl);
        };
    }

    /** The base URL's path without its trailing slash, to put before every request path. */
    static String pathPrefix(URI baseUrl) {
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
