package dev.portbank.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider's JWKS endpoint for tests, on a free local port: it serves the keys the test publishes and
 * counts the fetches; it can hang (accept, never answer) and go down for good ({@link #close()}: connection refused).
 */
final class JwksServer implements AutoCloseable {
    private static final String PATH = "/.well-known/jwks.json";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger fetches = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String body;
    private volatile boolean hanging;

    private JwksServer(List<JWK> keys) {
        publish(keys);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PATH, this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** Serves the public halves of these keys. */
    static JwksServer serving(SigningKey... keys) {
        return new JwksServer(publicKeys(keys));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** From now on serves the public halves of these keys (and only these). */
    void publish(SigningKey... keys) {
        publish(publicKeys(keys));
    }

    /** From now on accepts connections but never answers. */
    void hang() {
        hanging = true;
    }

    /** How many times the key set was asked for. */
    int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void publish(List<JWK> keys) {
        body = new JWKSet(keys).toString();
    }

    private void serve(HttpExchange exchange) throws IOException {
        fetches.incrementAndGet();
        try (exchange) {
            if (hanging) {
                released.await();
                return;
            }
            byte[] json = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<JWK> publicKeys(SigningKey... keys) {
        return Arrays.stream(keys).map(SigningKey::publicJwk).toList();
    }
}
