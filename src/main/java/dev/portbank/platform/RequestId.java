package dev.portbank.platform;

/**
 * The id of the request the current thread serves, so every log line of a request carries it. Helidon runs each
 * request on its own virtual thread, which makes a thread-local the right scope.
 */
public final class RequestId {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestId() {
    }

    public static String current() {
        return CURRENT.get();
    }

    static void set(String requestId) {
        CURRENT.set(requestId);
    }

    static void clear() {
        CURRENT.remove();
    }
}
