package dev.portbank.loadgen;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/** Requests through one shared {@link HttpClient} (HTTP/1.1, its own connection pool). */
final class JdkHttpTransport implements Transport {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final String base;

    private JdkHttpTransport(HttpClient client, URI baseUrl) {
        this.client = client;
        this.base = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + Transport.pathPrefix(baseUrl);
    }

    static Connector connector(URI baseUrl) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        return new Connector() {
            @Override
            public Transport connect() {
                return new JdkHttpTransport(client, baseUrl);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    @Override
    public Response send(Request request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path())).timeout(TIMEOUT);
        if (request.token() != null) {
            builder.header("Authorization", "Bearer " + request.token());
        }
        if (request.idempotencyKey() != null) {
            builder.header("Idempotency-Key", request.idempotencyKey());
        }
        if (request.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body()));
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + request.path());
        }
    }

    @Override
    public void close() {
        // The client is shared; the connector closes it.
    }
}
